import Foundation
import Logging
import NurtureCore
import NurtureDaemon
import NurtureLog
import NurtureMetrics
import ServiceLifecycle

/// The daemon's part in a group of daemons sharing one database (a `Service` in the group, before the scheduler so
/// that it stops after it): every `leaseDuration / 3` one round of ``Scheduler/clusterTick()`` (heartbeat and
/// lease renewal, the leader lease, taking over the sends of a daemon whose lease ran out), logged and counted;
/// the other daemons' wake-ups forwarded to the scheduler; on the leader, the fold of the count changes in a loop
/// of its own. On stop, once the scheduler has given back its unstarted claims and recorded its transfers, the
/// daemon signs off.
struct ClusterService: Service, CustomStringConvertible {
    let scheduler: Scheduler
    let store: any ClusterStore
    let metrics: DaemonMetrics
    let log: Logger

    /// `cluster`, the service's name in the service group's log lines.
    var description: String { "cluster" }

    /// Ticks until the group shuts down gracefully (the scheduler, later in the group, has stopped by then), then
    /// signs off.
    func run() async {
        let (store, scheduler) = (store, scheduler)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in store.wakeups() { scheduler.wake() }
            }
            let interval = store.leaseDuration / 3
            // The leader's fold of the count changes, apart from the rounds: a large backlog never delays a heartbeat.
            group.addTask {
                while !Task.isCancelled {
                    await scheduler.foldCounts()
                    try? await Task.sleep(for: interval)
                }
            }
            let clock = ContinuousClock()
            var (failing, late) = (false, false)
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                // Rounds start every `interval` however long one takes (a round that overran is followed at once):
                // the promise that a dead daemon's sends wait at most a lease plus one round rests on it.
                let began = clock.now
                await tick(failing: &failing)
                overran(clock.now - began, interval: interval, late: &late)
                _ = await cancelWhenGracefulShutdown { try? await Task.sleep(until: began + interval, clock: clock) }
            }
            group.cancelAll()
        }
        do {
            try await scheduler.signOff()
            log.log(.notice, "cluster", ["instance": store.instance.id, "message": "signed off"])
        } catch {
            log.log(
                .warning, "cluster",
                [
                    "instance": store.instance.id,
                    "problem": "cannot sign off: \(error); the other daemons see this one stop when its heartbeat ages",
                ])
        }
    }

    /// Logs when rounds begin to take longer than their interval (the machine or the database is too slow for the
    /// lease: leases may run out while their daemon lives) and when they fit again; `late` carries the state.
    func overran(_ took: Duration, interval: Duration, late: inout Bool) {
        let over = took > interval
        guard over != late else { return }
        late = over
        let seconds = String(format: "%.1f", ScheduleTime.seconds(took))
        log.log(
            late ? .warning : .notice, "cluster",
            [
                "instance": store.instance.id,
                "message": late
                    ? "a round of heartbeat and lease renewal took \(seconds) s, longer than its interval (a third of"
                        + " the lease): the database or this machine is overloaded; raise database.lease_seconds if"
                        + " this goes on"
                    : "rounds of heartbeat and lease renewal fit their interval again",
            ])
    }

    /// One round, logged: leadership changes, sends taken over, failures (the leases run out if they go on; logged
    /// when they begin and when they end, `failing` carrying the state between rounds).
    func tick(failing: inout Bool) async {
        do {
            guard let tick = try await scheduler.clusterTick() else { return }
            let instance = store.instance
            if failing {
                failing = false
                log.log(.notice, "cluster", ["instance": instance.id, "message": "leases renewed again"])
            }
            if tick.leadershipChanged {
                log.log(
                    .notice, "cluster",
                    [
                        "instance": instance.id,
                        "message": tick.isLeader
                            ? "this daemon is the leader: it plans enrollments and watches the mailboxes"
                            : "another daemon is the leader",
                    ])
            }
            if !tick.requeued.isEmpty {
                log.log(
                    .warning, "cluster_reclaimed",
                    [
                        "instance": instance.id, "requeued": tick.requeued.map { "\($0.id)" }.joined(separator: ","),
                        "message": "sends claimed by a daemon that stopped, never started: waiting again",
                    ])
            }
            if !tick.unknown.isEmpty {
                log.log(
                    .warning, "cluster_reclaimed",
                    [
                        "instance": instance.id, "unknown": tick.unknown.map { "\($0.id)" }.joined(separator: ","),
                        "message": "sends started by a daemon that stopped: recorded as unknown",
                    ])
            }
            let recent = Date().addingTimeInterval(-ScheduleTime.seconds(store.leaseDuration))
            let held = try await store.daemons(since: recent).first {
                $0.instance.id == instance.id
            }
            metrics.clusterObserved(
                instance: instance.id, host: instance.host, isLeader: tick.isLeader,
                leasesHeld: held?.leasesHeld ?? 0)
        } catch {
            guard !failing else { return }
            failing = true
            log.log(
                .error, "cluster",
                [
                    "instance": store.instance.id,
                    "problem": "\(error)",
                    "message": "cannot renew this daemon's leases; if this lasts longer than the lease, another daemon"
                        + " takes its sends over and its transfers are fenced",
                ])
        }
    }
}
