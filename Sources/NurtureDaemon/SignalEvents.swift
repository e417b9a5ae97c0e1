#if os(Linux)
    @preconcurrency internal import Dispatch
#else
    internal import Dispatch
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process signal the daemon reacts to.
public enum ProcessSignal: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SIGTERM: systemd stops the service; finish the transfers in flight and exit.
    case terminate
    /// SIGINT: Ctrl-C in a terminal; same as ``terminate``.
    case interrupt
    /// SIGHUP: `systemctl reload nurture`; re-read config and templates, keep the old ones if invalid.
    case reload

    /// The signal number.
    public var signalNumber: Int32 {
        switch self {
        case .terminate: SIGTERM
        case .interrupt: SIGINT
        case .reload: SIGHUP
        }
    }

    /// `SIGTERM`, `SIGINT` or `SIGHUP`.
    public var description: String {
        switch self {
        case .terminate: "SIGTERM"
        case .interrupt: "SIGINT"
        case .reload: "SIGHUP"
        }
    }
}

/// Delivers SIGTERM, SIGINT and SIGHUP as ``ProcessSignal`` values instead of their default action.
///
/// Each signal's default action is replaced by `SIG_IGN`, then a Dispatch signal source delivers it on a
/// private serial queue, where no async-signal-safety rules apply; `init` returns once the sources are
/// registered. Keep the instance alive as long as the signals should be handled; dropping it cancels the
/// sources (the signals then stay ignored). The only place the daemon uses Dispatch for signals.
public final class SignalEvents: Sendable {
    /// The signals, in arrival order. Finishes when the instance is released.
    public let signals: AsyncStream<ProcessSignal>
    private let sources: [any DispatchSourceSignal]

    /// Starts handling `signals` and delivers them to ``signals``.
    public convenience init(_ signals: Set<ProcessSignal> = Set(ProcessSignal.allCases)) {
        let (stream, continuation) = AsyncStream.makeStream(of: ProcessSignal.self)
        self.init(signals, stream: stream) {
            continuation.yield($0)
        } onCancel: {
            continuation.finish()
        }
    }

    /// Starts handling `signals` and calls `handler` for each, on a private serial queue.
    /// ``signals`` then finishes at once.
    public convenience init(
        _ signals: Set<ProcessSignal> = Set(ProcessSignal.allCases),
        handler: @escaping @Sendable (ProcessSignal) -> Void
    ) {
        let (stream, continuation) = AsyncStream.makeStream(of: ProcessSignal.self)
        continuation.finish()
        self.init(signals, stream: stream, deliver: handler) {}
    }

    private init(
        _ signals: Set<ProcessSignal>, stream: AsyncStream<ProcessSignal>,
        deliver: @escaping @Sendable (ProcessSignal) -> Void, onCancel: @escaping @Sendable () -> Void
    ) {
        let queue = DispatchQueue(label: "nurture.signals")
        let registered = DispatchGroup()
        self.signals = stream
        self.sources = signals.sorted { $0.signalNumber < $1.signalNumber }.map { processSignal in
            Self.ignoreIfDefault(processSignal.signalNumber)
            let source = DispatchSource.makeSignalSource(signal: processSignal.signalNumber, queue: queue)
            source.setEventHandler { deliver(processSignal) }
            source.setCancelHandler(handler: onCancel)
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            return source
        }
        // Registration happens on the queue; wait for it (briefly) so a signal sent right after `init`
        // returns is delivered, not ignored.
        _ = registered.wait(timeout: .now() + .seconds(2))
    }

    /// Sets `SIG_IGN` when the signal still has its default action, so that a signal arriving before the
    /// source is registered cannot kill the process.
    ///
    /// Only then: on Linux, Dispatch installs its own handler the first time a signal gets a source (it
    /// forwards the signal to its `signalfd`) and never again; replacing that handler with `SIG_IGN` in a
    /// later instance would make the kernel discard the signal before Dispatch sees it.
    private static func ignoreIfDefault(_ number: Int32) {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return }
        #if os(Linux)
            let isDefault = current.__sigaction_handler.sa_handler == nil
        #else
            let isDefault = current.__sigaction_u.__sa_handler == nil
        #endif
        if isDefault { signal(number, SIG_IGN) }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
