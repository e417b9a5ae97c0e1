import ServiceLifecycle
import UnixSignals

/// The signals the daemon reacts to, trapped as soon as `nurture run` starts: a SIGHUP or SIGTERM that arrives while
/// the configuration loads or recovery runs waits for the services instead of ending the process (the default
/// action of both).
///
/// The service group traps SIGTERM and SIGINT itself once it runs (its graceful shutdown signals); ``stops`` keeps
/// the ones that came before, for ``EarlyStop``.
struct DaemonSignals: Sendable {
    /// SIGHUP, for the ``ReloadService``.
    let hangups: UnixSignalsSequence
    /// SIGTERM and SIGINT.
    let stops: UnixSignalsSequence

    /// Traps the signals; returns once they are registered.
    init() async {
        hangups = await UnixSignalsSequence(trapping: .sighup)
        stops = await UnixSignalsSequence(trapping: .sigterm, .sigint)
    }
}

/// Ends at the first SIGTERM or SIGINT, including one that arrived during start-up, before the service group trapped
/// them itself; its end shuts the group down gracefully. Ends quietly when the group shuts down for another reason.
struct EarlyStop: Service, CustomStringConvertible {
    let signals: UnixSignalsSequence

    /// `early-stop`, the service's name in the service group's log lines.
    var description: String { "early-stop" }

    /// Returns at the first SIGTERM or SIGINT, or when the group shuts down.
    func run() async {
        for await _ in signals.cancelOnGracefulShutdown() { return }
    }
}
