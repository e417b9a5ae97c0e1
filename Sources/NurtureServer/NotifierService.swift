import Foundation
import NurtureCore
import NurtureDaemon
import ServiceLifecycle
import Synchronization

/// Counts the scheduler loop's heartbeats (one per loop pass and per group commit), so the systemd watchdog is
/// fed only while the loop is alive.
final class Heartbeat: Sendable {
    private let beats = Atomic<UInt64>(0)

    /// One more beat; called by the scheduler loop.
    func beat() { beats.add(1, ordering: .relaxed) }

    /// The beats so far.
    var count: UInt64 { beats.load(ordering: .relaxed) }
}

/// Tells systemd about the daemon: `READY=1` with the first STATUS line once start-up is complete, then, as long as
/// the service group runs, `WATCHDOG=1` every half watchdog period (at most every 5 s) provided the scheduler loop
/// beat since the last ping (a hung loop stops the pings and systemd restarts the daemon), and a fresh STATUS line
/// with the queue figures every 10 s. Without `NOTIFY_SOCKET` it ends after start-up.
struct NotifierService: Service, CustomStringConvertible {
    let notifier: SystemdNotifier
    let store: any SendStore
    let heartbeat: Heartbeat
    let started: StartGate

    /// How often the STATUS line is refreshed.
    static let statusInterval = Duration.seconds(10)

    /// `systemd-notifier`, the service's name in the service group's log lines.
    var description: String { "systemd-notifier" }

    /// READY once start-up is complete, then WATCHDOG and STATUS until the group shuts down.
    func run() async {
        let isStarted = await cancelWhenGracefulShutdown { [started] in await started.wait() }
        guard isStarted else { return }
        notifier.ready(status: await Self.statusLine(store))
        guard notifier.isEnabled else { return }
        let period = min(notifier.watchdogInterval ?? .seconds(5), .seconds(5))
        var pinged: UInt64?
        var sinceStatus = Duration.zero
        while true {
            let beats = heartbeat.count
            if notifier.watchdogInterval != nil, beats != pinged {
                notifier.watchdog()
                pinged = beats
            }
            if sinceStatus >= Self.statusInterval {
                sinceStatus = .zero
                notifier.status(await Self.statusLine(store))
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            } catch {
                return
            }
            sinceStatus += period
        }
    }

    /// e.g. `planned 120, held 3, deferred 1, sent 5400, unknown 0; next due 2026-11-24T09:00:00Z`.
    static func statusLine(_ store: any SendStore) async -> String {
        do {
            let counts = try await store.stateCounts()
            let figures = SendState.allCases.compactMap { state in counts[state].map { "\(state) \($0)" } }
            let next = try await store.earliestWaiting().map { "; next due \(ScheduleTime.describe($0))" } ?? ""
            return (figures.isEmpty ? "no sends yet" : figures.joined(separator: ", ")) + next
        } catch {
            return "store unreadable: \(error)"
        }
    }
}
