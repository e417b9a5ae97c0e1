import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureHTTP
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import NurtureTemplates
import Prometheus
import Synchronization

/// `nurture run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: send every due step of every enrollment, on schedule.",
        discussion: """
            Opens the store and resolves the sends a crash left in flight from the transfer journal beside \
            the store (never started: waiting again; finished: recorded; started without a reply: unknown), \
            then sends due steps until SIGTERM or SIGINT (it stops claiming, gives claimed sends not yet \
            handed to the relay back to the queue at once, lets transfers in progress finish and records them). \
            SIGHUP reloads the configuration and templates; an invalid edit is rejected with the messages \
            of `nurture check` and the running configuration stays in force. Under systemd (Type=notify) it \
            reports READY, RELOADING, STOPPING, WATCHDOG and a STATUS line with queue figures. \
            Log lines go to standard error with syslog priority prefixes.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Option(help: ArgumentHelp("Log lines at this level and above: error, warning, notice, info, debug."))
    var logLevel: String = "info"

    @Option(
        help: ArgumentHelp(
            "Seconds to let transfers in progress finish after SIGTERM before exiting (one cut off after its body"
                + " went out is recorded as unknown at the next start; one that had not sent its body is sent"
                + " again).", valueName: "seconds"))
    var stopTimeout: Int = 30

    func run() async throws {
        guard let level = LogLevel(name: logLevel) else {
            throw ValidationError("--log-level \(logLevel): use error, warning, notice, info or debug")
        }
        let log = LogWriter(minimumLevel: level)
        let notifier = SystemdNotifier()
        let signals = SignalEvents()
        guard let runtime = Self.loadRuntime(file: options.config, log: log) else { throw ExitCode.failure }
        let storePath = StoreLocation.path(for: runtime.configuration, stateDirectory: stateDirectory.path)
        let store: SQLiteStore
        let lock: StoreLock
        do {
            // One daemon per store: a second one would double every rate limit and take the first's sends in flight
            // for a crash's. The lock dies with this process.
            lock = try StoreLock.acquire(forStore: storePath)
            store = try SQLiteStore(path: storePath)
        } catch {
            log.log(.error, "store", ["file": storePath, "problem": "\(error)"])
            throw ExitCode.failure
        }
        let clock = SystemClock()
        let startedAt = clock.now()
        let watchdog = Watchdog(notifier: notifier, store: store, clock: clock)
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let current = CurrentConfiguration(runtime.configuration)
        let journal = Self.openJournal(storePath: storePath, store: store, log: log)
        let scheduler = Scheduler(
            store: store, runtime: runtime, clock: clock, timer: DispatchWakeTimer(),
            options: Scheduler.Options(
                concurrency: runtime.configuration.relay.poolSize, lookahead: Scheduler.Options.daemonLookahead),
            makeTransport: { relay in
                do {
                    return try SMTPTransport(configuration: relay)
                } catch {
                    return UnusableTransport(problem: "\(error)")
                }
            },
            emit: { event in
                Self.write(event, to: log)
                Self.count(event, in: metrics, configuration: current.value)
            },
            heartbeat: { watchdog.beat() }, journal: journal)
        do {
            let recovered = try scheduler.recover()
            switch recovered.reset {
            case .stale(let problem):
                log.log(
                    .error, "transfer_journal",
                    [
                        "problem": problem,
                        "message": "refusing to send: a crash would leave a journal that hides transfers",
                    ])
                throw ExitCode.failure
            case .disabled(let problem):
                log.log(
                    .warning, "transfer_journal",
                    [
                        "problem": problem,
                        "message": "sending without a transfer journal: after a crash every send in flight is unknown",
                    ])
            case .ready, nil: break
            }
            log.log(
                .notice, "started",
                [
                    "config": runtime.configuration.file, "store": storePath, "recovered_unknown": recovered.unknown,
                    "recovered_requeued": recovered.requeued, "recovered_recorded": recovered.recorded,
                    "transfer_journal": recovered.journal.map { "\($0)" },
                    "relay": "\(runtime.configuration.relay.host):\(runtime.configuration.relay.port)",
                    "libcurl": SMTPTransport.libcurlVersion,
                ])
        } catch {
            log.log(.error, "store", ["file": storePath, "problem": "\(error)"])
            throw ExitCode.failure
        }
        var server: HTTPServer?
        let http = runtime.configuration.http
        if http.enabled {
            let interface = HTTPInterface(
                store: store, configuration: { current.value }, metrics: metrics, wake: { scheduler.wake() },
                log: log, startedAt: startedAt)
            do {
                server = try await HTTPServer.start(interface, settings: http)
                log.log(
                    .notice, "http_listening",
                    [
                        "address": server?.boundAddress, "api_tokens": http.tokens.count,
                        "unsubscribe_path": HTTPInterface.unsubscribePath(runtime.configuration),
                    ])
            } catch {
                log.log(.error, "http", ["problem": "\(error)"])
                throw ExitCode.failure
            }
        }
        notifier.ready(status: watchdog.statusLine())
        let file = options.config
        let signalTask = Task {
            for await signal in signals.signals {
                switch signal {
                case .terminate, .interrupt:
                    log.log(.notice, "stopping", ["signal": signal.description])
                    notifier.stopping()
                    scheduler.stop()
                    let timeout = stopTimeout
                    Task.detached {
                        try? await Task.sleep(for: .seconds(timeout))
                        log.log(
                            .warning, "stop_timeout",
                            [
                                "message":
                                    "exiting with transfers in progress; those whose body went out become unknown at the"
                                    + " next start, the others are sent again"
                            ])
                        Foundation.exit(0)
                    }
                    return
                case .reload:
                    notifier.reloading()
                    if let fresh = Self.loadRuntime(file: file, log: log) {
                        do {
                            try scheduler.reload(fresh)
                            current.value = fresh.configuration
                            metrics.reloaded(succeeded: true, at: clock.now())
                            log.log(.notice, "reloaded", ["config": file])
                            let (before, after) = (http, fresh.configuration.http)
                            if before.host != after.host || before.port != after.port || before.enabled != after.enabled
                            {
                                log.log(
                                    .warning, "reload",
                                    [
                                        "message":
                                            "http.listen changes take effect at the next start; API tokens and limits apply now"
                                    ])
                            }
                        } catch {
                            metrics.reloaded(succeeded: false, at: clock.now())
                            log.log(.error, "reload", ["problem": "\(error)"])
                        }
                    } else {
                        metrics.reloaded(succeeded: false, at: clock.now())
                        log.log(
                            .error, "reload_rejected",
                            ["config": file, "message": "the running configuration stays in force"])
                    }
                    notifier.ready(status: watchdog.statusLine())
                }
            }
        }
        let fileWatch = StoreFileWatch.start(store: store, log: log)
        await scheduler.run()
        await server?.stop()
        signalTask.cancel()
        fileWatch.cancel()
        log.log(.notice, "stopped")
        withExtendedLifetime(lock) {}
    }

    /// The transfer journal beside the store (`nurture.sqlite-transfers`), naming this boot and the store file;
    /// `nil` (recovery then stays conservative: every send in flight after a crash is unknown) when the boot id or
    /// the store file cannot be read.
    static func openJournal(storePath: String, store: SQLiteStore, log: LogWriter) -> TransferJournal? {
        guard let identity = TransferJournal.Identity.current(storePath: storePath) else {
            log.log(
                .warning, "transfer_journal",
                [
                    "problem": "cannot read /proc/sys/kernel/random/boot_id or the store file's identity",
                    "message": "sending without a transfer journal: after a crash every send in flight is unknown",
                ])
            return nil
        }
        return TransferJournal(path: TransferJournal.path(forStore: storePath), identity: identity) {
            (try? store.inFlightSends()).map { Set($0.map(\.id)) }
        }
    }

    /// Loads and checks configuration and templates like `nurture check`; logs every problem and returns
    /// `nil` when there is one.
    static func loadRuntime(file: String, log: LogWriter) -> Scheduler.Runtime? {
        let configuration: NurtureConfiguration
        do {
            configuration = try ConfigurationLoader().load(file: file)
        } catch {
            for problem in error.problems { log.log(.error, "config", ["problem": problem.description]) }
            return nil
        }
        let check = CheckCommand.checkTemplates(configuration)
        guard check.problems.isEmpty else {
            for problem in check.problems { log.log(.error, "templates", ["problem": problem]) }
            return nil
        }
        for warning in configuration.warnings { log.log(.warning, "config", ["problem": warning.description]) }
        let library: TemplateLibrary
        do {
            library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
        } catch {
            for problem in error.errors { log.log(.error, "templates", ["problem": problem.description]) }
            return nil
        }
        return Scheduler.Runtime(
            configuration: configuration, builder: MessageBuilder(configuration: configuration, library: library),
            policy: configuration.scheduling)
    }

    static func write(_ event: Scheduler.Event, to log: LogWriter) {
        switch event {
        case .recorded(let entry):
            let level: LogLevel =
                switch entry.state {
                case .sent: .info
                case .failed, .unknown: .warning
                default: .notice
                }
            log.log(
                level, "send",
                [
                    "lead": entry.leadEmail.description, "sequence": entry.sequence, "step": entry.step,
                    "message_id": entry.messageID, "outcome": entry.state.rawValue, "attempt": entry.attempt,
                    "code": entry.code.map(String.init), "reply": entry.reply, "detail": entry.detail,
                ])
        case .transferred: break
        case .notice(let text): log.log(.notice, "scheduler", ["message": text])
        case .warning(let text): log.log(.warning, "scheduler", ["message": text])
        case .error(let text): log.log(.error, "scheduler", ["message": text])
        }
    }

    /// Feeds `/metrics`.
    static func count(_ event: Scheduler.Event, in metrics: DaemonMetrics, configuration: NurtureConfiguration) {
        switch event {
        case .recorded(let entry):
            metrics.recorded(entry, track: configuration.sequence(id: entry.sequence)?.track)
        case .transferred(let transfer):
            metrics.transferred(
                outcome: transfer.outcome, track: transfer.track, seconds: transfer.seconds, relay: transfer.relay,
                answered: transfer.relayAnswered, at: transfer.at)
        case .notice, .warning, .error: break
        }
    }
}

/// The configuration in force, shared by the scheduler's event handler and the HTTP interface.
final class CurrentConfiguration: Sendable {
    private let state: Mutex<NurtureConfiguration>

    init(_ configuration: NurtureConfiguration) { state = Mutex(configuration) }

    var value: NurtureConfiguration {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

/// Pings the systemd watchdog from the scheduler loop (at most every half watchdog period) and keeps
/// the STATUS line's queue figures fresh.
final class Watchdog: Sendable {
    private let notifier: SystemdNotifier
    private let store: any SendStore
    private let clock: any WallClock
    private let last = Mutex<(watchdog: Date, status: Date)>((.distantPast, .distantPast))

    init(notifier: SystemdNotifier, store: any SendStore, clock: any WallClock) {
        self.notifier = notifier
        self.store = store
        self.clock = clock
    }

    func beat() {
        guard notifier.isEnabled else { return }
        let now = clock.now()
        let interval = notifier.watchdogInterval.map(ScheduleTime.seconds) ?? .infinity
        let (ping, status) = last.withLock { last -> (Bool, Bool) in
            let ping = now.timeIntervalSince(last.watchdog) >= min(interval, 5)
            let status = now.timeIntervalSince(last.status) >= 10
            if ping { last.watchdog = now }
            if status { last.status = now }
            return (ping, status)
        }
        if ping, notifier.watchdogInterval != nil { notifier.watchdog() }
        // Counting the ledger by state reads every row: do it off the scheduler loop.
        if status { DispatchQueue.global(qos: .utility).async { self.notifier.status(self.statusLine()) } }
    }

    /// e.g. `planned 120, held 3, deferred 1, sent 5400, unknown 0; next due 2026-11-24T09:00:00Z`.
    func statusLine() -> String {
        do {
            let counts = try store.stateCounts()
            let figures = SendState.allCases.compactMap { state in counts[state].map { "\(state) \($0)" } }
            let next = try store.earliestWaiting().map { "; next due \(ScheduleTime.describe($0))" } ?? ""
            return (figures.isEmpty ? "no sends yet" : figures.joined(separator: ", ")) + next
        } catch {
            return "store unreadable: \(error)"
        }
    }
}

/// Stands in for a relay whose settings cannot make a transport: every send is a configuration error.
struct UnusableTransport: MessageTransport {
    let problem: String

    func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome {
        DeliveryOutcome(kind: .configurationError, reply: nil, transportDetail: problem)
    }

    /// Nothing is ever sent, so the body never starts.
    func send(
        _ message: [UInt8], envelope: Envelope, beforeBody: @escaping @Sendable () -> Bool
    ) async -> DeliveryOutcome {
        await send(message, envelope: envelope)
    }

    func shutdown() async {}
}
