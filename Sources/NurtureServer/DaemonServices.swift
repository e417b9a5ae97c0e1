import Foundation
import Logging
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureHTTP
import NurtureLog
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import ServiceLifecycle
import UnixSignals

/// The daemon's services in one `ServiceGroup`: the HTTP server (when enabled), the scheduler loop, the systemd
/// notifier, one ``MailboxWatcher`` per watched mailbox, the store-file watch (SQLite) and the SIGHUP reloader; on a
/// database several daemons share, first of all the ``ClusterService``.
///
/// SIGTERM and SIGINT shut the group down gracefully, in reverse order: the reloader, the file watch and the notifier
/// end at once, the scheduler stops (``SchedulerService``), then the HTTP server lets its requests finish. The
/// group's maximum graceful shutdown duration is `--stop-timeout`. A service that fails (the HTTP address cannot be
/// bound) shuts the others down gracefully too, and ``run()`` returns `false`. A mailbox watcher never fails: it keeps
/// its mailbox's errors in the store and polls again with backoff, so an unreachable mailbox never stops sending.
struct DaemonServices {
    let settings: Daemon.Settings
    let signals: DaemonSignals
    /// The daemon's lines, and the parent of Hummingbird's and the service group's loggers.
    let log: Logger
    /// The HTTP interface's lines.
    let httpLog: LogWriter
    let loader: RuntimeLoader
    let store: any SendStore
    /// The SQLite store's file, watched for deletion or replacement; `nil` on a shared database.
    let storeFile: SQLiteStore?
    let scheduler: Scheduler
    let current: CurrentConfiguration
    let metrics: DaemonMetrics
    let heartbeat: Heartbeat
    let startedAt: Date
    /// Several daemons on one database: the cluster loop (first in the group, so it stops last).
    var cluster: ClusterService? = nil
    /// Several daemons on one database: what `/healthz` reports about it.
    var database: HTTPInterface.DatabaseHealth? = nil

    /// Runs the group until it has shut down; `false` when a service failed.
    func run() async -> Bool {
        let notifier = SystemdNotifier()
        let http = current.value.http
        let started = StartGate(open: !http.enabled)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // Shut down in reverse order: the cluster loop renews the leases until the scheduler has stopped.
        if let cluster { services.append(service(cluster)) }
        if http.enabled {
            guard let server = httpServer(started: started) else { return false }
            services.append(service(server))
        }
        services.append(
            service(
                SchedulerService(
                    scheduler: scheduler, started: started,
                    onStop: { [log] in
                        log.log(.notice, "stopping")
                        notifier.stopping()
                    },
                    onDeadline: { [log, settings] in
                        log.log(
                            .warning, "stop_timeout",
                            [
                                "message":
                                    "exiting with transfers in progress; those whose body went out become unknown at the"
                                    + " next start, the others are sent again"
                            ])
                        settings.onStopDeadline()
                    })))
        services.append(
            service(
                NotifierService(notifier: notifier, store: store, heartbeat: heartbeat, started: started),
                onSuccess: .ignore))
        for mailbox in current.value.inbound.mailboxes {
            services.append(service(watcher(for: mailbox), onSuccess: .ignore))
        }
        if let storeFile { services.append(service(StoreFileWatch(store: storeFile, log: log))) }
        services.append(
            service(ReloadService(triggers: signals.hangups) { await reload(notifier: notifier, http: http) }))
        services.append(service(EarlyStop(signals: signals.stops)))
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: log)
        configuration.maximumGracefulShutdownDuration = settings.stopTimeout
        do {
            try await ServiceGroup(configuration: configuration).run()
            return true
        } catch let error as HTTPServerError {
            log.log(.error, "http", ["problem": error.description])
        } catch {
            log.log(.error, "services", ["problem": "\(error)"])
        }
        return false
    }

    /// A service whose failure, or end outside a shutdown, shuts the whole group down gracefully.
    private func service(
        _ service: some Service,
        onSuccess: ServiceGroupConfiguration.ServiceConfiguration.TerminationBehavior = .gracefullyShutdownGroup
    ) -> ServiceGroupConfiguration.ServiceConfiguration {
        ServiceGroupConfiguration.ServiceConfiguration(
            service: service, successTerminationBehavior: onSuccess,
            failureTerminationBehavior: .gracefullyShutdownGroup)
    }

    /// The watcher of one configured mailbox over IMAP (libcurl), with IMAP IDLE as its doorbell between polls: it
    /// reads the configuration in force for each message, and wakes the scheduler when a lead changed. It waits for
    /// nothing at start: reading mail never sends any.
    private func watcher(for mailbox: WatchedMailbox) -> MailboxWatcher {
        let (current, scheduler) = (current, scheduler)
        var logger = log
        logger[metadataKey: "component"] = "mailbox"
        let name = mailbox.name
        let reader = ReloadingMailbox(initial: mailbox.settings) {
            current.value.inbound.mailboxes.first { $0.name == name }?.settings
        }
        var watcher = MailboxWatcher(
            mailbox: mailbox, reader: reader, store: store, configuration: { current.value }, clock: SystemClock(),
            metrics: metrics, log: logger, wake: { scheduler.wake() })
        // Several daemons: only the leader reads the mailboxes.
        let leadership = scheduler.leadership
        watcher.isLeader = { leadership.isLeader }
        watcher.doorbell = { timeout in await reader.waitForNewMail(timeout: timeout) }
        return watcher
    }

    /// The HTTP interface; once it listens, the `http_listening` line and the start of everything else. `nil`
    /// (logged) when the console is configured and cannot start.
    private func httpServer(started: StartGate) -> HTTPServer? {
        let (current, scheduler, log) = (current, scheduler, log)
        var interface = HTTPInterface(
            store: store, configuration: { current.value }, metrics: metrics, wake: { scheduler.wake() }, log: httpLog,
            startedAt: startedAt, database: database)
        if let settings = current.value.console {
            do {
                interface.console = try ConsoleRuntime.make(
                    settings: settings, listenHost: current.value.http.host, store: store)
            } catch {
                log.log(.error, "console", ["problem": error.description])
                return nil
            }
        }
        var httpLogger = log
        httpLogger[metadataKey: "component"] = "http"
        let configuration = current.value
        let console = interface
        return HTTPServer(interface, settings: configuration.http, logger: httpLogger) { address in
            log.log(
                .notice, "http_listening",
                [
                    "address": address, "api_tokens": configuration.http.tokens.count,
                    "unsubscribe_path": HTTPInterface.unsubscribePath(configuration),
                ])
            started.open()
            // The console's overview figures are read now, not by the first operator to open it.
            Task { await console.warmConsole() }
        }
    }

    /// SIGHUP: re-reads configuration and templates; an invalid edit is rejected and the running ones stay.
    /// Reports RELOADING, then READY with a fresh STATUS line, to systemd.
    private func reload(notifier: SystemdNotifier, http: HTTPSettings) async {
        let file = settings.configFile
        notifier.reloading()
        if let fresh = loader.load(file: file) {
            do {
                try await scheduler.reload(fresh)
                let before = current.value.inbound.mailboxes
                current.value = fresh.configuration
                metrics.reloaded(succeeded: true, at: Date())
                log.log(.notice, "reloaded", ["config": file])
                if !Self.sameMailboxes(before, fresh.configuration.inbound.mailboxes) {
                    log.log(
                        .warning, "reload",
                        [
                            "message":
                                "mailboxes added, removed or renamed, and poll_interval or owner changes, take effect"
                                + " at the next start; a mailbox's connection settings and credentials, the inbound"
                                + " policy and VERP settings apply now"
                        ])
                }
                let after = fresh.configuration.http
                if http.host != after.host || http.port != after.port || http.enabled != after.enabled {
                    log.log(
                        .warning, "reload",
                        [
                            "message":
                                "http.listen changes take effect at the next start; API tokens and limits apply now"
                        ])
                }
            } catch {
                metrics.reloaded(succeeded: false, at: Date())
                log.log(.error, "reload", ["problem": "\(error)"])
            }
        } else {
            metrics.reloaded(succeeded: false, at: Date())
            log.log(.error, "reload_rejected", ["config": file, "message": "the running configuration stays in force"])
        }
        notifier.ready(status: await NotifierService.statusLine(store))
    }

    /// Whether two configurations have the same watchers: the same mailboxes by name, polled as often, for the same
    /// owner (the watchers are made at start). Connection settings and credentials may differ: each watcher's
    /// ``ReloadingMailbox`` picks them up at its next IMAP call.
    static func sameMailboxes(_ old: [WatchedMailbox], _ new: [WatchedMailbox]) -> Bool {
        old.count == new.count
            && zip(old, new).allSatisfy { pair in
                pair.0.name == pair.1.name && pair.0.pollInterval == pair.1.pollInterval
                    && pair.0.owner == pair.1.owner
            }
    }
}
