import Foundation
import NurtureConfig
package import NurtureCore
package import NurtureSMTP
import Synchronization

/// The daemon's loop: plans the next step of every enrollment, claims due sends durably, re-checks each one
/// (still enrolled? contactable? in the window? under the limits?), renders, sends, and records the outcome.
///
/// This file is the loop (run, pass, wake, alarms). The other concerns live beside it: enrollment planning
/// (`Scheduler+Planning.swift`), the send pipeline's stages (`Scheduler+Pipeline.swift`), fact gathering and
/// the gate's verdicts (`Scheduler+Checks.swift`, deciding in `SendGate`), outcomes (`Scheduler+Outcomes.swift`,
/// deciding in `OutcomePolicy`), group commit (`Scheduler+Commit.swift`), start-up recovery
/// (`Scheduler+Recovery.swift`) and the transports (`TransportPool.swift`).
///
/// The store is the source of truth. The loop sleeps on one ``WakeTimer`` until the earliest waiting send or
/// the poll interval (so changes other processes make to the store, e.g. `nurture leads`, are picked up),
/// and re-reads every due time from the store after each wake.
package final class Scheduler: Sendable {
    struct State {
        var runtime: Runtime
        var stopping = false
        /// Wakes the running pass's coordinator (set while a pass runs), so a stop gives claims back at once.
        var wakeCoordinator: (@Sendable () -> Void)?
        /// When the overdue sends of the last minute went out (catch-up pacing).
        var overdueSent: [Date] = []
        var warnedEnrollments: Set<Int64> = []
        /// Relays paused after a relay-level refusal, by ``RelayConfiguration/name`` (see ``RelayPausePolicy``).
        var pauses: [String: RelayPause] = [:]
    }

    let store: any SendStore
    let clock: any WallClock
    let timer: any WakeTimer
    let options: Options
    let transports: TransportPool
    let emit: @Sendable (Event) -> Void
    let heartbeat: @Sendable () -> Void
    let state: Mutex<State>
    /// The rate counts: in memory for a store this daemon owns, reserved in the store when several share it.
    let ledger: any RateLedger
    /// The store when several daemons share it (PostgreSQL): claims are leases, transfers are fenced.
    let cluster: (any ClusterStore)?
    /// Whether this daemon plans enrollments (the leader; always, for a store one daemon owns).
    package let leadership: LeaderFlag
    /// The backoff and rate-limited log lines while the store refuses work (a full disk, a read-only file system).
    let faults: StoreFaultGate
    let journal: TransferJournal?

    /// - Parameters:
    ///   - makeTransport: opens a transport for a relay (cached per relay setting).
    ///   - heartbeat: called once per loop pass (the systemd watchdog).
    ///   - journal: where each transfer's start and outcome are noted for ``recover()`` after a crash; without
    ///     one, every send a crash leaves in flight is recovered as `unknown`. A ``ClusterStore`` is its own
    ///     journal (``ClusterStore/markStarted(_:at:)``): pass none.
    ///   - leadership: whether this daemon plans enrollments; by default it always does (one daemon per store).
    ///     With a ``ClusterStore`` the daemon's cluster loop (``clusterTick()``) sets it from the leader lease.
    package init(
        store: any SendStore, runtime: Runtime, clock: any WallClock, timer: any WakeTimer, options: Options,
        makeTransport: @escaping @Sendable (RelayConfiguration) -> any MessageTransport,
        emit: @escaping @Sendable (Event) -> Void, heartbeat: @escaping @Sendable () -> Void = {},
        journal: TransferJournal? = nil, leadership: LeaderFlag? = nil
    ) {
        self.journal = journal
        self.store = store
        self.clock = clock
        self.timer = timer
        self.options = options
        self.transports = TransportPool(make: makeTransport)
        self.emit = emit
        self.heartbeat = heartbeat
        self.state = Mutex(State(runtime: runtime))
        let cluster = store as? any ClusterStore
        self.cluster = cluster
        self.ledger =
            cluster.map { ClusterLedger(store: $0) as any RateLedger }
            ?? CounterLedger(store: store, counter: SentCounter(store: store))
        self.leadership = leadership ?? LeaderFlag(cluster == nil)
        self.faults = StoreFaultGate(emit: emit)
    }

    /// The configuration and templates in force.
    package var runtime: Runtime { state.withLock { $0.runtime } }

    /// Replaces configuration and templates for every later send; waiting sends of removed steps are cancelled.
    package func reload(_ runtime: Runtime) async throws(StoreError) {
        state.withLock { $0.runtime = runtime }
        let now = clock.now()
        for sequence in runtime.configuration.sequences {
            let cancelled = try await store.cancelWaiting(
                sequence: sequence.id, keepingSteps: Set(sequence.steps.map(\.id)),
                reason: "step removed from the configuration", at: now)
            if cancelled > 0 {
                emit(.notice("reload: \(cancelled) waiting send(s) of removed steps of `\(sequence.id)` cancelled"))
            }
        }
        timer.wake()
    }

    /// Stops claiming new sends and gives the claimed ones that have not gone out back to the queue at once
    /// (durably); ``run()`` returns once the transfers in progress are recorded.
    package func stop() {
        let wake = state.withLock { state in
            state.stopping = true
            return state.wakeCoordinator
        }
        wake?()
        timer.wake()
    }

    /// Runs a pass now instead of at the next due time or poll (a lead changed through the HTTP API).
    package func wake() {
        timer.wake()
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// When the earliest waiting send may be claimed: its next attempt less the lookahead; `nil` when none waits.
    func claimTime() async throws(StoreError) -> Date? {
        try await store.earliestWaiting().map { ScheduleTime.date($0, plus: .zero - options.lookahead) }
    }

    /// Runs until ``stop()``; returns after the sends in flight are recorded and connections are closed.
    ///
    /// While the store refuses work (a full disk, a read-only file system), the loop keeps away from it until the
    /// backoff runs out (100 ms doubling to 30 s) instead of trying again at once.
    package func run() async {
        await restorePauses()
        while !isStopping {
            heartbeat()
            let start = clock.now()
            if let retryAt = faults.waitUntil(start) {
                // In steps, so the heartbeat (the systemd watchdog) goes on during a 30 s backoff.
                await timer.sleep(until: min(retryAt, ScheduleTime.date(start, plus: Self.heartbeatInterval)))
                continue
            }
            await pass()
            if isStopping { break }
            let now = clock.now()
            var deadline = ScheduleTime.date(now, plus: options.pollInterval)
            if faults.waitUntil(now) != nil { continue }
            do {
                if let claimAt = try await claimTime(), claimAt < deadline { deadline = max(claimAt, now) }
            } catch {
                faults.failed("reading the next due time", error, at: now)
                if faults.waitUntil(now) != nil { continue }
            }
            if deadline > now { await timer.sleep(until: deadline) }
        }
        await transports.shutdown()
    }

    /// One pass: plan enrollments without a waiting send, then send everything due; returns when nothing due
    /// is left and every send it started is recorded.
    ///
    /// Sending is a pipeline. The pass task claims due rows (at most ``Options/claimAhead`` beyond those
    /// already recorded), checks each in order (so limits stay exact) and hands the ones to send to render
    /// tasks (one per core), then to ``Options/concurrency`` connection workers, each taking the next
    /// rendered message as soon as it is free. Finished outcomes are recorded together with the next claim in
    /// one store transaction (group commit): one sync to disk for many sends. A row is in flight in the store
    /// from its claim until its outcome is committed, so a crash in between leaves it `unknown`, never resent.
    package func pass() async {
        // Planning is singleton work: the leader's (planning twice is harmless, but wasteful).
        if leadership.isLeader, faults.waitUntil(clock.now()) == nil {
            do {
                if try await planEnrollments() {
                    faults.succeeded(at: clock.now())
                    await notifyOthers()
                }
            } catch {
                faults.failed("planning the next steps", error, at: clock.now())
            }
        }
        let jobs = HandOff<Job>()
        let ready = HandOff<Rendered>()
        let results = HandOff<Finished>()
        state.withLock { $0.wakeCoordinator = { results.nudge() } }
        defer { state.withLock { $0.wakeCoordinator = nil } }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskGroup(of: Void.self) { renderers in
                    for _ in 0..<Self.renderers {
                        renderers.addTask { await self.render(jobs, ready, results) }
                    }
                }
                ready.finish()
            }
            for _ in 0..<options.concurrency {
                group.addTask { await self.work(ready, results) }
            }
            await coordinate(jobs, ready, results)
            jobs.finish()
        }
    }

    /// Render tasks: one per core (at most two), so composing the next messages overlaps the transfers.
    static let renderers = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Outcomes a group commit waits for while the connections still have queued work.
    static let groupCommitTarget = 16

    /// The longest wait between two heartbeats while the store backs off (the systemd watchdog allows 30 s).
    static let heartbeatInterval = Duration.seconds(5)

    /// Waits for a finished transfer, or until `alarm` (on the scheduler's clock) when one is given.
    func waitForResults(_ results: HandOff<Finished>, orUntil alarm: Date?) async {
        guard let alarm else {
            await results.waitForAny()
            return
        }
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await clock.pause(until: alarm)
                if !Task.isCancelled { results.nudge() }
            }
            await results.waitForAny()
            group.cancelAll()
        }
    }

    /// Warns about an enrollment once per run (a sequence gone from the configuration, a window that never opens).
    func warnOnce(_ enrollment: Int64, _ message: String) {
        let first = state.withLock { $0.warnedEnrollments.insert(enrollment).inserted }
        if first { emit(.warning(message)) }
    }
}
