#if PostgreSQL
    import Foundation
    import Logging
    import NurtureConfig
    import NurtureCore
    import NurtureDaemon
    import NurtureHTTP
    import NurtureLog
    import NurturePostgres
    import NurtureSMTP

    /// Start-up on a PostgreSQL store several daemons share (docs/postgres.md).
    extension Daemon {
        /// Runs the daemon on `database` until it is stopped; `false` when it could not start or a service failed.
        ///
        /// Unlike a SQLite store, there is no store lock (several daemons are the point), no transfer journal file
        /// (``ClusterStore/markStarted(_:at:)`` journals each transfer's start in the database), and no start-up
        /// recovery of every row in flight: the other daemons' rows are live. A daemon that died is recovered by the
        /// others once its leases run out (``ClusterService``, ``Scheduler/clusterTick()``). The store's connection
        /// pool starts before every service and stops after them all.
        static func runOnPostgres(
            _ database: PostgresSettings, settings: Settings, runtime: Scheduler.Runtime, signals: DaemonSignals,
            loader: RuntimeLoader, log: Logger, httpLog: LogWriter
        ) async -> Bool {
            let clock = SystemClock()
            let instance = DaemonInstance.current(
                host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier, at: clock.now())
            let store: PostgresStore
            do {
                store = try PostgresStore.started(database, instance: instance, logger: log)
            } catch {
                log.log(.error, "store", ["store": database.description, "problem": "\(error)"])
                return false
            }
            do {
                let applied = try await store.migrate()
                if !applied.isEmpty {
                    log.log(
                        .notice, "store_migrated",
                        [
                            "store": database.description,
                            "versions": applied.map(String.init).joined(separator: ","),
                        ])
                }
            } catch {
                // A newer schema (another daemon runs a newer Nurture) or an unreachable database: never send.
                log.log(.error, "store", ["store": database.description, "problem": "\(error)"])
                await store.shutdown()
                return false
            }
            let parts = Parts(runtime: runtime, log: log)
            let scheduler = parts.scheduler(store: store, runtime: runtime, clock: clock, journal: nil)
            log.log(
                .notice, "started",
                [
                    "config": runtime.configuration.file, "store": database.description,
                    "schema_version": PostgresStore.schemaVersion, "instance": instance.id,
                    "lease_seconds": database.leaseSeconds,
                    "relay": "\(runtime.configuration.relay.host):\(runtime.configuration.relay.port)",
                    "libcurl": SMTPTransport.libcurlVersion,
                ])
            let leadership = scheduler.leadership
            let services = DaemonServices(
                settings: settings, signals: signals, log: log, httpLog: httpLog, loader: loader, store: store,
                storeFile: nil, scheduler: scheduler, current: parts.current, metrics: parts.metrics,
                heartbeat: parts.heartbeat, startedAt: clock.now(),
                cluster: ClusterService(scheduler: scheduler, store: store, metrics: parts.metrics, log: log),
                database: HTTPInterface.DatabaseHealth(
                    store: database.description, schemaVersion: PostgresStore.schemaVersion, instance: instance.id,
                    isLeader: { leadership.isLeader }))
            let succeeded = await services.run()
            await store.shutdown()
            if succeeded { log.log(.notice, "stopped") }
            return succeeded
        }
    }
#endif
