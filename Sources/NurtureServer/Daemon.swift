import Foundation
package import Logging
package import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureHTTP
package import NurtureLog
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import Prometheus

/// The daemon's composition root: `nurture run` parses its arguments and calls ``run(_:)``.
///
/// Start-up opens (and locks) the store, resolves what a crash left in flight from the transfer journal, then runs
/// the scheduler loop, the SIGHUP reloader, the systemd notifier, the store-file watch and the HTTP server as
/// services of one `ServiceGroup` (see ``DaemonServices``), until SIGTERM or SIGINT. With `database:` set it runs on
/// a PostgreSQL store several daemons share instead (``runOnPostgres(_:settings:runtime:signals:loader:log:httpLog:)``).
package enum Daemon {
    /// What `nurture run` was asked for.
    package struct Settings: Sendable {
        /// The configuration file (`--config`).
        package var configFile: String
        /// How long transfers in progress may take after SIGTERM (`--stop-timeout`).
        package var stopTimeout: Duration
        /// Where the store lives for a configuration (the state directory rules of the CLI).
        package var storePath: @Sendable (NurtureConfiguration) -> String
        /// Ends the process when the stop timeout runs out with transfers still in progress (after the
        /// `stop_timeout` line); the next start resolves them from the transfer journal.
        package var onStopDeadline: @Sendable () -> Void

        /// Settings for ``Daemon/run(_:logger:httpLog:)``.
        package init(
            configFile: String, stopTimeout: Duration, storePath: @escaping @Sendable (NurtureConfiguration) -> String,
            onStopDeadline: @escaping @Sendable () -> Void
        ) {
            self.configFile = configFile
            self.stopTimeout = stopTimeout
            self.storePath = storePath
            self.onStopDeadline = onStopDeadline
        }
    }

    /// Runs the daemon until it is stopped; returns `false` when it could not start (every reason logged) or a
    /// service failed.
    ///
    /// - Parameters:
    ///   - logger: the daemon's own lines (``Logging/Logger/log(_:)``), and those of Hummingbird and the service group.
    ///   - httpLog: the HTTP interface's access and error lines.
    package static func run(_ settings: Settings, logger: Logger, httpLog: LogWriter) async -> Bool {
        let log = logger
        // First of all, so that no signal sent during start-up takes its default action (which ends the process).
        let signals = await DaemonSignals()
        let loader = RuntimeLoader(log: log)
        guard let runtime = loader.load(file: settings.configFile) else { return false }
        #if PostgreSQL
            if let database = runtime.configuration.database {
                return await runOnPostgres(
                    database, settings: settings, runtime: runtime, signals: signals, loader: loader, log: log,
                    httpLog: httpLog)
            }
        #else
            if let database = runtime.configuration.database {
                log.log(
                    .error, "store",
                    [
                        "store": database.description,
                        "problem": "this nurture was built without PostgreSQL (the PostgreSQL package trait);"
                            + " use a build with it, or a SQLite store (state.store)",
                    ])
                return false
            }
        #endif
        let storePath = settings.storePath(runtime.configuration)
        let store: SQLiteStore
        let lock: StoreLock
        do {
            // One daemon per store: a second one would double every rate limit and take the first's sends in flight
            // for a crash's. The lock dies with this process.
            lock = try StoreLock.acquire(forStore: storePath)
            store = try SQLiteStore(path: storePath)
        } catch {
            log.log(.error, "store", ["file": storePath, "problem": "\(error)"])
            return false
        }
        let clock = SystemClock()
        let parts = Parts(runtime: runtime, log: log)
        let journal = loader.openJournal(storePath: storePath, store: store)
        let scheduler = parts.scheduler(store: store, runtime: runtime, clock: clock, journal: journal)
        guard await recover(scheduler, runtime: runtime, storePath: storePath, log: log) else { return false }
        let services = DaemonServices(
            settings: settings, signals: signals, log: log, httpLog: httpLog, loader: loader, store: store,
            storeFile: store, scheduler: scheduler, current: parts.current, metrics: parts.metrics,
            heartbeat: parts.heartbeat, startedAt: clock.now())
        let succeeded = await services.run()
        if succeeded { log.log(.notice, "stopped") }
        withExtendedLifetime(lock) {}
        return succeeded
    }

    /// What the daemon's services share, whatever the store: the metrics, the configuration in force, the
    /// scheduler loop's heartbeat.
    struct Parts {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let heartbeat = Heartbeat()
        let current: CurrentConfiguration
        let log: Logger

        init(runtime: Scheduler.Runtime, log: Logger) {
            current = CurrentConfiguration(runtime.configuration)
            self.log = log
        }

        /// The scheduler over `store`, sending through SMTP, logging and counting its events.
        func scheduler(
            store: any SendStore, runtime: Scheduler.Runtime, clock: any WallClock, journal: TransferJournal?
        ) -> Scheduler {
            let (log, metrics, current, heartbeat) = (log, metrics, current, heartbeat)
            return Scheduler(
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
                    DaemonEvents.write(event, to: log)
                    DaemonEvents.count(event, in: metrics, configuration: current.value)
                },
                heartbeat: { heartbeat.beat() }, journal: journal)
        }
    }

    /// Start-up recovery, logged as the `started` line; `false` when the daemon must not send.
    private static func recover(
        _ scheduler: Scheduler, runtime: Scheduler.Runtime, storePath: String, log: Logger
    ) async -> Bool {
        do {
            let recovered = try await scheduler.recover()
            switch recovered.reset {
            case .stale(let problem):
                log.log(
                    .error, "transfer_journal",
                    [
                        "problem": problem,
                        "message": "refusing to send: a crash would leave a journal that hides transfers",
                    ])
                return false
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
            return true
        } catch {
            log.log(.error, "store", ["file": storePath, "problem": "\(error)"])
            return false
        }
    }
}
