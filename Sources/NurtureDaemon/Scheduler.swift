public import Foundation
import NurtureApp
public import NurtureConfig
public import NurtureCore
public import NurtureSMTP
import Synchronization

/// The daemon's loop: plans the next step of every enrollment, claims due sends durably, re-checks each one
/// (still enrolled? contactable? in the window? under the limits?), renders, sends, and records the outcome.
///
/// The store is the source of truth. The loop sleeps on one ``WakeTimer`` until the earliest waiting send or
/// the poll interval (so changes other processes make to the store, e.g. `nurture leads`, are picked up),
/// and re-reads every due time from the store after each wake.
public final class Scheduler: Sendable {
    /// What a reload replaces: configuration, templates and the policies derived from them.
    public struct Runtime: Sendable {
        public var configuration: NurtureConfiguration
        public var builder: MessageBuilder
        public var policy: SchedulingPolicy

        public init(configuration: NurtureConfiguration, builder: MessageBuilder, policy: SchedulingPolicy) {
            self.configuration = configuration
            self.builder = builder
            self.policy = policy
        }
    }

    /// How the loop runs.
    public struct Options: Sendable {
        /// Sends in flight at once (the relay's connection pool size).
        public var concurrency: Int
        /// The longest sleep, so changes made by other processes are seen promptly.
        public var pollInterval: Duration
        /// Enrollments planned per pass.
        public var planBatch: Int
        /// The most sends in flight in the store at once: claimed and not yet recorded, whether waiting for a
        /// connection or being transferred. Claiming ahead keeps every connection busy while outcomes are
        /// committed in groups; a crash leaves at most this many rows `unknown`. Default: 16 per
        /// connection, at least 32.
        public var claimAhead: Int
        /// How long before its due time a send may be claimed, checked and rendered. The claim is a durable
        /// commit, and a sync to disk can take a hundred milliseconds or more; claimed this early, the message
        /// is ready when the send falls due and the connection worker holds it until that moment (never
        /// sending early). The checks look at the lead as it is at the claim and judge the window and the
        /// limits at the due time. Zero (the default, for tests on a ``VirtualClock``) claims only what is due.
        public var lookahead: Duration

        /// The lookahead `nurture run` uses.
        public static let daemonLookahead = Duration.milliseconds(250)

        public init(
            concurrency: Int, pollInterval: Duration = .seconds(1), planBatch: Int = 500, claimAhead: Int? = nil,
            lookahead: Duration = .zero
        ) {
            self.concurrency = max(1, concurrency)
            self.pollInterval = pollInterval
            self.planBatch = planBatch
            self.claimAhead = max(self.concurrency, claimAhead ?? max(32, 16 * self.concurrency))
            self.lookahead = max(.zero, lookahead)
        }
    }

    /// Something the operator should see in the log.
    public enum Event: Sendable {
        /// A send-log line was recorded (an attempt or a decision about a send).
        case recorded(SendLogEntry)
        /// A transfer to the relay finished (metrics: latency by outcome and track; health: relay last seen).
        case transferred(Transfer)
        /// Start-up, shutdown, enrollment completions and similar.
        case notice(String)
        case warning(String)
        case error(String)
    }

    /// One finished transfer, as metrics and health checks see it.
    public struct Transfer: Sendable {
        /// The track of the step sent.
        public var track: Track
        /// How the relay took it.
        public var outcome: DeliveryOutcome.Kind
        /// From handing the message to the transport until the outcome was known.
        public var seconds: Double
        /// `host:port` of the relay.
        public var relay: String
        /// Whether the relay answered at all (any SMTP reply was read).
        public var relayAnswered: Bool
        /// When the transfer finished.
        public var at: Date
    }

    private struct State {
        var runtime: Runtime
        var stopping = false
        /// Wakes the running pass's coordinator (set while a pass runs), so a stop gives claims back at once.
        var wakeCoordinator: (@Sendable () -> Void)?
        var overdueSent: [Date] = []
        var warnedEnrollments: Set<Int64> = []
        /// Relays paused after a relay-level refusal, by ``RelayConfiguration/name`` (see ``RelayPausePolicy``).
        var pauses: [String: RelayPause] = [:]
    }

    private let store: any SendStore
    private let clock: any WallClock
    private let timer: any WakeTimer
    private let options: Options
    private let transports: TransportPool
    private let emit: @Sendable (Event) -> Void
    private let heartbeat: @Sendable () -> Void
    private let state: Mutex<State>
    private let counter: SentCounter
    /// The backoff and rate-limited log lines while the store refuses work (a full disk, a read-only file system).
    private let faults: StoreFaultGate
    private let journal: TransferJournal?
    /// Store calls following the outcomes `recover()` recorded, run when `run()` starts.
    private let recoveryFollowUps = Mutex<[FollowUp]>([])

    /// A store call that must follow a durable commit (end a completed enrollment, suppress a bounced address).
    typealias FollowUp = @Sendable () async throws -> Void

    /// - Parameters:
    ///   - makeTransport: opens a transport for a relay (cached per relay setting).
    ///   - heartbeat: called once per loop pass (the systemd watchdog).
    ///   - journal: where each transfer's start and outcome are noted for ``recover()`` after a crash; without
    ///     one, every send a crash leaves in flight is recovered as `unknown`.
    public init(
        store: any SendStore, runtime: Runtime, clock: any WallClock, timer: any WakeTimer, options: Options,
        makeTransport: @escaping @Sendable (RelayConfiguration) -> any MessageTransport,
        emit: @escaping @Sendable (Event) -> Void, heartbeat: @escaping @Sendable () -> Void = {},
        journal: TransferJournal? = nil
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
        self.counter = SentCounter(store: store)
        self.faults = StoreFaultGate(emit: emit)
    }

    /// The configuration and templates in force.
    public var runtime: Runtime { state.withLock { $0.runtime } }

    /// Replaces configuration and templates for every later send; waiting sends of removed steps are cancelled.
    public func reload(_ runtime: Runtime) throws(StoreError) {
        state.withLock { $0.runtime = runtime }
        let now = clock.now()
        for sequence in runtime.configuration.sequences {
            let cancelled = try store.cancelWaiting(
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
    public func stop() {
        let wake = state.withLock { state in
            state.stopping = true
            return state.wakeCoordinator
        }
        wake?()
        timer.wake()
    }

    /// Runs a pass now instead of at the next due time or poll (a lead changed through the HTTP API).
    public func wake() {
        timer.wake()
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// What start-up recovery did with the sends a stopped daemon left in flight.
    public struct Recovery: Sendable, Equatable {
        /// Never went out (no `started` record): waiting again, no attempt counted.
        public var requeued = 0
        /// Finished before the stop (a `replied` record): recorded with that outcome.
        public var recorded = 0
        /// The body may have reached the relay and no final reply was recorded: handled as an `unknown` outcome
        /// (held, or resent with `scheduling.unknown_outcome: resend`).
        public var unknown = 0
        /// The journal found; `nil` when the daemon runs without one.
        public var journal: JournalStanding?
        /// Whether a fresh journal records this run's transfers (`nil` without a journal).
        public var reset: TransferJournal.ResetResult?
    }

    /// Resolves the sends a stopped daemon left `in-flight`, before anything is claimed; call once before
    /// ``run()``. Each is decided by ``InFlightRecovery`` from the transfer journal: never started → waiting
    /// again; finished → recorded as the live outcome would have been (next step planned, bounce applied, ...);
    /// started without a reply, or no trustworthy journal → an `unknown` outcome, which
    /// `scheduling.unknown_outcome` holds or resends. Then the journal starts afresh.
    public func recover() throws(StoreError) -> Recovery {
        let rows = try store.inFlightSends()
        let contents = journal?.load()
        let standing = contents?.standing ?? .missing
        var summary = Recovery(journal: contents?.standing)
        if !rows.isEmpty {
            let runtime = self.runtime
            let now = clock.now()
            var requeue: [Int64] = []
            var batch = Batch()
            for row in rows {
                let evidence = contents?.evidence(for: row) ?? .none
                let outcome: DeliveryOutcome
                switch InFlightRecovery.decide(journal: standing, evidence: evidence) {
                case .requeue:
                    requeue.append(row.id)
                    continue
                case .record(let recorded):
                    outcome = recorded
                case .unknown(let cause):
                    outcome = DeliveryOutcome(kind: .unknown, reply: nil, transportDetail: cause.description)
                }
                // A send whose lead, enrollment or step is gone is left for the conservative path below.
                guard let job = try recoveredJob(row, runtime: runtime) else { continue }
                if outcome.kind == .unknown {
                    summary.unknown += 1
                    emit(
                        .warning(
                            "send \(row.id) to \(row.leadEmail) (\(row.sequence)/\(row.step), \(row.messageID)) was in"
                                + " flight when the daemon stopped (\(outcome.transportDetail ?? "")): recorded as"
                                + " unknown (scheduling.unknown_outcome: \(runtime.policy.unknownOutcome.rawValue))"))
                } else {
                    summary.recorded += 1
                    emit(
                        .notice(
                            "send \(row.id) to \(row.leadEmail) finished before the daemon stopped (\(outcome));"
                                + " recorded from the transfer journal"))
                }
                recordOutcome(
                    Finished(
                        job: job, outcome: outcome, renderError: nil, startedAt: row.updatedAt, recovered: true),
                    into: &batch)
            }
            if !requeue.isEmpty {
                let detail = "claimed, but never handed to the relay before the daemon stopped; waiting again"
                summary.requeued = try store.releaseInFlight(requeue, detail: detail, at: now).count
                emit(
                    .notice(
                        "\(summary.requeued) send(s) claimed but never started before the daemon stopped are waiting again"
                    ))
            }
            if !batch.records.isEmpty {
                var mayHaveDue = true
                _ = commit(&batch, claiming: 0, mayHaveDue: &mayHaveDue)
                // Run by `run()` before its first pass (the store port is async; this start-up step is not yet).
                if batch.followUpsDue { recoveryFollowUps.withLock { $0 = batch.followUps } }
            }
            // What is still in flight (no context to record it with, or the store refused the outcomes): unknown.
            for row in try store.recoverInFlight(at: now) {
                summary.unknown += 1
                emit(
                    .warning(
                        "send \(row.id) to \(row.leadEmail) (\(row.sequence)/\(row.step), \(row.messageID)) was in flight"
                            + " when the daemon stopped: recorded as unknown, not resent"))
            }
        }
        summary.reset = journal?.reset()
        return summary
    }

    /// The job a recovered send would have had: its lead, enrollment and step as they are now, the sender and
    /// relay its track resolves to. `nil` when any is gone.
    private func recoveredJob(_ row: PlannedSend, runtime: Runtime) throws(StoreError) -> Job? {
        let configuration = runtime.configuration
        let stored = try store.sendContext(
            lead: row.leadEmail, enrollment: row.enrollmentID,
            suppressionKey: configuration.addressKeying.suppressionKey(for: row.leadEmail))
        guard let lead = stored.lead, let enrollment = stored.enrollment,
            let sequence = configuration.sequence(id: row.sequence), let step = sequence.step(id: row.step),
            let messageID = try? MessageID(row.messageID)
        else { return nil }
        let identity = SenderIdentity.resolve(
            track: sequence.track, lead: lead, marketingSender: configuration.marketingSender,
            salespeople: configuration.salespeople)
        guard let from = identity.from else { return nil }
        let owner = lead.owner.flatMap { configuration.salesperson(id: $0) }
        let prepared = reserve(
            messageID: messageID, stepID: step.id, from: from.address, to: lead.email,
            relay: Self.relay(for: sequence, owner: owner, in: configuration), overdue: false)
        return Job(
            row: row, prepared: prepared, context: Context(lead: lead, enrollment: enrollment, sequence: sequence),
            runtime: runtime)
    }

    /// When the earliest waiting send may be claimed: its next attempt less the lookahead; `nil` when none waits.
    private func claimTime() throws(StoreError) -> Date? {
        try store.earliestWaiting().map { ScheduleTime.date($0, plus: .zero - options.lookahead) }
    }

    /// Runs until ``stop()``; returns after the sends in flight are recorded and connections are closed.
    ///
    /// While the store refuses work (a full disk, a read-only file system), the loop keeps away from it until the
    /// backoff runs out (100 ms doubling to 30 s) instead of trying again at once.
    public func run() async {
        restorePauses()
        let recovered = recoveryFollowUps.withLock { pending in
            defer { pending = [] }
            return pending
        }
        _ = await followUp(recovered)
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
                if let claimAt = try claimTime(), claimAt < deadline { deadline = max(claimAt, now) }
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
    /// rendered message as soon as it is free. Finished outcomes are recorded together with the next claim in one store transaction (group
    /// commit): one sync to disk for many sends. A row is in flight in the store from its claim until its
    /// outcome is committed, so a crash in between leaves it `unknown`, never resent.
    public func pass() async {
        if faults.waitUntil(clock.now()) == nil {
            do {
                if try planEnrollments() { faults.succeeded(at: clock.now()) }
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

    /// A message rendered and composed, waiting for a connection.
    private struct Rendered: Sendable {
        var job: Job
        var bytes: [UInt8]
    }

    /// A render task: renders and composes checked sends, in parallel with the checks and the transfers.
    private func render(_ jobs: HandOff<Job>, _ ready: HandOff<Rendered>, _ results: HandOff<Finished>) async {
        while let job = await jobs.take() {
            if isStopping {
                results.put(Finished(job: job, outcome: nil, renderError: nil, startedAt: clock.now(), released: true))
                continue
            }
            do {
                let built = try job.runtime.builder.build(
                    lead: job.context.lead, sequenceID: job.context.sequence.id, stepID: job.prepared.stepID,
                    date: clock.now(), messageID: job.prepared.messageID)
                ready.put(Rendered(job: job, bytes: built.bytes))
            } catch {
                results.put(Finished(job: job, outcome: nil, renderError: "\(error)", startedAt: clock.now()))
            }
        }
    }

    /// A connection worker: sends rendered messages one after another until the pass ends.
    private func work(_ ready: HandOff<Rendered>, _ results: HandOff<Finished>) async {
        while let rendered = await ready.take() {
            let (job, bytes) = (rendered.job, rendered.bytes)
            // Claimed up to the lookahead early: hold the message until it is due, never sending early.
            while clock.now() < job.row.nextAttemptAt, !Task.isCancelled, !isStopping {
                await clock.pause(until: job.row.nextAttemptAt)
            }
            // Stopping: a message not yet handed to its connection goes back to the queue.
            if isStopping {
                results.put(Finished(job: job, outcome: nil, renderError: nil, startedAt: clock.now(), released: true))
                continue
            }
            let startedAt = clock.now()
            // A relay paused since the checks (another connection met a relay-level refusal) gets nothing more:
            // the send goes back to waiting without a transfer. After the pause, one send goes as the probe.
            let admission = admitTransfer(through: job.prepared.relay, policy: job.runtime.policy.relayPause)
            if case .hold(let until, let reason) = admission {
                results.put(
                    Finished(
                        job: job, outcome: nil, renderError: nil, startedAt: startedAt,
                        relayHold: RelayHold(until: until, reason: reason)))
                continue
            }
            let started = ContinuousClock.now
            let (journal, clock, sendID, attempt) = (journal, clock, job.row.id, job.row.attempts + 1)
            let outcome = await transports.transport(for: job.prepared.relay).send(
                bytes, envelope: job.prepared.envelope,
                beforeBody: { journal?.started(sendID: sendID, attempt: attempt, at: clock.now()) ?? true })
            journal?.replied(sendID: sendID, attempt: attempt, outcome: outcome, at: clock.now())
            let probe = admission == .probe
            let relay = job.prepared.relay
            emit(
                .transferred(
                    Transfer(
                        track: job.context.sequence.track, outcome: outcome.kind,
                        seconds: ScheduleTime.seconds(ContinuousClock.now - started),
                        relay: "\(relay.host):\(relay.port)",
                        relayAnswered: outcome.reply != nil, at: clock.now())))
            results.put(
                Finished(
                    job: job, outcome: outcome, renderError: nil, startedAt: startedAt,
                    relayChange: noteRelay(
                        outcome, through: job.prepared.relay, policy: job.runtime.policy.relayPause, probe: probe),
                    probe: probe))
        }
    }

    /// Claims, checks, hands out and records until nothing due is left and nothing is in flight.
    private func coordinate(_ jobs: HandOff<Job>, _ ready: HandOff<Rendered>, _ results: HandOff<Finished>) async {
        let queued = { jobs.count + ready.count }
        var batch = Batch()
        var inPipeline = 0
        var mayHaveDue = true
        // The latest next-attempt time among the rows claimed so far: while it lies ahead, the pass is sending
        // on time (not catching up), and a group commit must not hold back the next claim.
        var claimedUntil: Date?
        let lookahead = options.lookahead
        while true {
            for finished in results.takeAll() {
                inPipeline -= 1
                recordOutcome(finished, into: &batch)
            }
            if isStopping {
                // Claims not yet handed to a connection go back to the queue with the next commit, at once.
                for job in jobs.takeAll() + ready.takeAll().map(\.job) {
                    inPipeline -= 1
                    release(job, into: &batch)
                }
            }
            let now = clock.now()
            // The store refused work: keep away from it until the backoff runs out. Transfers in progress go on and
            // their outcomes join the batch, which is committed (with what the failed commit kept) before any claim.
            if let retryAt = faults.waitUntil(now) {
                if batch.isEmpty && inPipeline == 0 { return }
                heartbeat()
                await waitForResults(
                    results, orUntil: min(retryAt, ScheduleTime.date(now, plus: Self.heartbeatInterval)))
                continue
            }
            let onTime = claimedUntil.map { $0 > now } == true
            // With a lookahead, the next waiting send becomes claimable at its due time less the lookahead; that
            // is read only when it matters: the last claim took everything claimable, or the pass is sending on
            // time.
            var claimAt: Date?
            if lookahead > .zero, !isStopping, !mayHaveDue || onTime {
                do {
                    claimAt = try claimTime()
                } catch {
                    faults.failed("reading the next due time", error, at: now)
                }
            }
            // Nothing was left to claim: come back when the next send becomes claimable, not only when a transfer
            // finishes, so it is claimed (and synced to disk) before it is due.
            var alarm: Date?
            if !mayHaveDue, let claimAt {
                if claimAt <= now { mayHaveDue = true } else { alarm = claimAt }
            }
            // Outcomes a failed commit kept are written before anything new is claimed.
            let room = isStopping || !mayHaveDue || batch.isRetried ? 0 : options.claimAhead - inPipeline
            if batch.isEmpty && room <= 0 {
                if inPipeline == 0 { return }
                await waitForResults(results, orUntil: alarm)
                continue
            }
            // While the connections have enough prepared work queued, let outcomes gather: a bigger group
            // commit writes each touched page once for many sends. When sending on time, not past the moment
            // the next send becomes claimable.
            let topUp = room > 0 && onTime ? claimAt : nil
            if batch.records.count < Self.groupCommitTarget, inPipeline > 0, !isStopping, !batch.isRetried,
                queued() > options.concurrency, topUp.map({ $0 <= now }) != true
            {
                await waitForResults(results, orUntil: topUp ?? alarm)
                continue
            }
            let claimed = commit(&batch, claiming: max(0, room), mayHaveDue: &mayHaveDue)
            if batch.followUpsDue {
                batch.followUps = await followUp(batch.followUps)
                batch.followUpsDue = false
                batch.isRetried = !batch.followUps.isEmpty
            }
            if let last = claimed.last?.nextAttemptAt { claimedUntil = max(claimedUntil ?? last, last) }
            heartbeat()
            let runtime = self.runtime
            for row in claimed {
                if let job = decide(row, runtime: runtime, into: &batch) {
                    inPipeline += 1
                    jobs.put(job)
                }
            }
        }
    }

    /// Outcomes a group commit waits for while the connections still have queued work.
    static let groupCommitTarget = 16

    /// The longest wait between two heartbeats while the store backs off (the systemd watchdog allows 30 s).
    static let heartbeatInterval = Duration.seconds(5)

    /// Waits for a finished transfer, or until `alarm` (on the scheduler's clock) when one is given.
    private func waitForResults(_ results: HandOff<Finished>, orUntil alarm: Date?) async {
        guard let alarm else {
            await results.waitForAny()
            return
        }
        let clock = self.clock
        let ring = Task {
            await clock.pause(until: alarm)
            if !Task.isCancelled { results.nudge() }
        }
        await results.waitForAny()
        ring.cancel()
    }

    /// Commits `batch` with the next claim in one transaction, then announces and follows up what it recorded.
    ///
    /// When the store refuses the commit with a storage fault (a full disk, a read-only file system), nothing is
    /// lost: the batch keeps its outcomes (rows stay `in-flight` in the store meanwhile), the backoff starts, and
    /// the next commit writes them first, as soon as the store takes writes again, without a restart. The batch
    /// is bounded by ``Options/claimAhead``, since nothing new is claimed while it waits. A follow-up refused
    /// with a fault is kept in the same way.
    private func commit(_ batch: inout Batch, claiming: Int, mayHaveDue: inout Bool) -> [PlannedSend] {
        commitReleases(batch)
        batch.released.removeAll()
        var claimed: [PlannedSend] = []
        let now = clock.now()
        do {
            claimed = try store.recordAll(
                batch.records, at: now, claiming: claiming, dueBy: ScheduleTime.date(now, plus: options.lookahead))
            if claiming > 0 { mayHaveDue = claimed.count == claiming }
            // A recorded outcome may have planned a step that is due at once; after an outage, sends wait.
            if batch.isRetried || batch.records.contains(where: { $0.next != nil }) { mayHaveDue = true }
        } catch {
            mayHaveDue = false
            let what =
                batch.records.isEmpty
                ? "claiming due sends" : "recording \(batch.records.count) outcome(s) (rows stay in flight meanwhile)"
            faults.failed(what, error, at: now, backOff: true)
            if error.fault != nil {
                batch.isRetried = true
                return []
            }
            for record in batch.records {
                // Not a storage fault: the row stays in flight; the next start records it as unknown.
                emit(
                    .error(
                        "send \(record.sendID) to \(record.log.leadEmail): \(record.log.state) but not recorded:"
                            + " \(error)"))
            }
            for settle in batch.settlements { settle() }
            batch = Batch()
            return []
        }
        if !batch.records.isEmpty || !claimed.isEmpty { faults.succeeded(at: now) }
        for entry in batch.announced { emit(.recorded(entry)) }
        for settle in batch.settlements { settle() }
        var kept = Batch()
        kept.followUps = batch.followUps
        kept.followUpsDue = !kept.followUps.isEmpty
        batch = kept
        return claimed
    }

    /// Runs the store calls that follow a durable commit (``Batch/followUps``).
    /// - Returns: those refused with a storage fault, to run again after the next commit.
    private func followUp(_ followUps: [FollowUp]) async -> [FollowUp] {
        var kept: [FollowUp] = []
        for followUp in followUps {
            do {
                try await followUp()
            } catch let error as StoreError {
                faults.failed("following up a recorded send", error, at: clock.now())
                if error.fault != nil { kept.append(followUp) }
            } catch {
                emit(.error("store: following up a recorded send: \(error)"))
            }
        }
        return kept
    }

    /// Adds a claimed send that never went out to the sends `batch` gives back to the queue.
    private func release(_ job: Job, into batch: inout Batch) {
        let (counter, counted) = (counter, job.prepared.counted)
        batch.released.append(job.row.id)
        batch.settlements.append { counter.settle(counted, sentAt: nil) }
    }

    static let releasedDetail = "claimed, never handed to the relay before the daemon stopped; waiting again"

    /// Gives `batch`'s released sends back to the queue in one transaction of their own, ahead of the outcomes:
    /// they are waiting again durably before the stop waits for the transfers in progress.
    private func commitReleases(_ batch: Batch) {
        guard !batch.released.isEmpty else { return }
        do {
            let released = try store.releaseInFlight(batch.released, detail: Self.releasedDetail, at: clock.now())
            emit(.notice("stopping: \(released.count) claimed send(s) not yet handed to the relay are waiting again"))
        } catch {
            emit(
                .error(
                    "store: cannot give \(batch.released.count) unsent claimed send(s) back to the queue: \(error);"
                        + " the next start does (the transfer journal shows they never went out)"))
        }
    }

    // MARK: Planning

    /// Plans the next step of up to `planBatch` enrollments that have none, reading their leads and earlier
    /// sends in one snapshot each and storing every plan in one transaction (one durable commit per batch, not
    /// per enrollment). When the batch was full and made progress, the loop is woken to come straight back for
    /// the next batch after sending what is due, so a million new enrollments are planned quickly without
    /// starving sends.
    /// - Returns: whether it wrote to the store (a plan stored or an enrollment ended).
    private func planEnrollments() throws(StoreError) -> Bool {
        let runtime = self.runtime
        let now = clock.now()
        let enrollments = try store.enrollmentsNeedingPlan(limit: options.planBatch)
        guard !enrollments.isEmpty else { return false }
        var leads: [String: Lead] = [:]
        for lead in try store.leads(enrollments.map(\.leadEmail)) { leads[lead.email.description.lowercased()] = lead }
        let sends = Dictionary(
            grouping: try store.sends(forEnrollments: enrollments.map(\.id)), by: \.enrollmentID)
        var plans: [NewPlannedSend] = []
        var ended = 0
        for enrollment in enrollments {
            guard let lead = leads[enrollment.leadEmail.description.lowercased()] else {
                try store.endEnrollment(enrollment.id, reason: .stageChanged, at: now)
                ended += 1
                continue
            }
            guard lead.isContactable else {
                let reason: EnrollmentEndReason =
                    lead.isUnsubscribed ? .unsubscribed : lead.hasBounced ? .bounced : .stageChanged
                try store.endEnrollment(enrollment.id, reason: reason, at: now)
                ended += 1
                continue
            }
            guard let sequence = runtime.configuration.sequence(id: enrollment.sequence) else {
                warnOnce(
                    enrollment.id,
                    "enrollment \(enrollment.id) of \(lead.email) is in sequence `\(enrollment.sequence)`, which the"
                        + " configuration no longer has; add it back or change the lead's stage")
                continue
            }
            // The last step of this enrollment that the sequence still has (a step removed by a reload was
            // cancelled; the sequence goes on from the step before it).
            let previous = (sends[enrollment.id] ?? [])
                .filter { sequence.step(id: $0.step) != nil }
                .max { $0.stepNumber < $1.stepNumber }
            let (next, complete) = nextStep(
                enrollment: enrollment, sequence: sequence, lead: lead, after: previous?.step,
                finishedAt: previous.map { $0.updatedAt }, runtime: runtime)
            if let next { plans.append(next) }
            if complete {
                try store.endEnrollment(enrollment.id, reason: .completed, at: now)
                ended += 1
                emit(.notice("\(lead.email) completed `\(sequence.id)`"))
            }
        }
        if !plans.isEmpty { try store.planAll(plans, at: now) }
        if enrollments.count == options.planBatch, !plans.isEmpty { timer.wake() }
        return !plans.isEmpty || ended > 0
    }

    /// The send to plan after step `after` (`nil` when there is none) and whether the sequence is complete.
    private func nextStep(
        enrollment: EnrollmentRecord, sequence: EmailSequence, lead: Lead, after: String?, finishedAt: Date?,
        runtime: Runtime
    ) -> (next: NewPlannedSend?, complete: Bool) {
        let owner = lead.owner.flatMap { runtime.configuration.salesperson(id: $0) }
        let zoneName = runtime.builder.timeZone(for: lead, sequence: sequence, owner: owner)
        var generator = SystemRandomNumberGenerator()
        let jitter = sequence.track == .sales ? runtime.policy.salesJitter.offset(using: &generator) : .zero
        let unique: String
        do {
            unique = try MessageIDRandomness.unique(using: &generator)
        } catch {
            emit(.error("cannot plan the next step of \(lead.email) in `\(sequence.id)`: \(error)"))
            return (nil, false)
        }
        let decision = StepPlanner.next(
            enrollment: enrollment, sequence: sequence, lead: lead, after: after, previousFinishedAt: finishedAt,
            timeZone: TimeZone(identifier: zoneName) ?? .gmt, jitter: jitter,
            messageIDDomain: runtime.configuration.marketingSender.address.domain, unique: unique)
        switch decision {
        case .plan(var send):
            if sequence.track == .marketing {
                send.unsubscribeToken = runtime.builder.unsubscribeToken(for: lead.email)
            }
            return (send, false)
        case .complete: return (nil, true)
        case .neverOpens(let reason):
            warnOnce(enrollment.id, reason)
            return (nil, false)
        }
    }

    /// Adds `update` and `log` for a finished row to `batch`, with the step after it planned in the same
    /// transaction (and the enrollment ended once it commits, when that was the last step).
    private func recordAndPlanNext(
        _ row: PlannedSend, _ update: SendUpdate, _ log: SendLogEntry, context: Context, runtime: Runtime, now: Date,
        into batch: inout Batch
    ) {
        let (next, complete) = nextStep(
            enrollment: context.enrollment, sequence: context.sequence, lead: context.lead, after: row.step,
            finishedAt: now, runtime: runtime)
        batch.add(SendRecord(sendID: row.id, update: update, log: log, next: next), announce: true)
        if complete {
            let (store, emit, enrollment, lead, sequence) = (
                store, emit, context.enrollment, context.lead, context.sequence
            )
            batch.followUps.append {
                try store.endEnrollment(enrollment.id, reason: .completed, at: now)
                emit(.notice("\(lead.email) completed `\(sequence.id)`"))
            }
        }
    }

    private func warnOnce(_ enrollment: Int64, _ message: String) {
        let first = state.withLock { $0.warnedEnrollments.insert(enrollment).inserted }
        if first { emit(.warning(message)) }
    }

    // MARK: Sending

    /// What the checks before a send decided.
    private enum Verdict {
        case cancel(String, endEnrollment: EnrollmentEndReason?)
        case skip(String)
        case hold(until: Date, reason: String)
        /// Held because the relay is paused (logged once per pause, not per send).
        case relayPaused(until: Date, reason: String)
        case send(Prepared)
    }

    /// A send that passed its checks; the connection worker renders and composes it (in parallel with the
    /// checks of the next rows) right before the transfer.
    private struct Prepared: Sendable {
        var messageID: MessageID
        var stepID: String
        var envelope: Envelope
        var relay: RelayConfiguration
        var overdue: Bool
        /// The rate counts this send is reserved in until its outcome is recorded.
        var counted: SentCounter.Keys
    }

    private struct Context: Sendable {
        var lead: Lead
        var enrollment: EnrollmentRecord
        var sequence: EmailSequence
    }

    /// A send that passed its checks, on its way to a connection.
    private struct Job: Sendable {
        var row: PlannedSend
        var prepared: Prepared
        var context: Context
        var runtime: Runtime
    }

    /// A transfer a connection worker finished, or a message it could not render or did not send.
    private struct Finished: Sendable {
        var job: Job
        /// `nil` when rendering failed (`renderError` says why) or the relay is paused (`relayHold`): nothing
        /// was sent.
        var outcome: DeliveryOutcome?
        var renderError: String?
        /// When the worker handed the message to its connection.
        var startedAt: Date
        /// Set when the relay was paused when the message reached its connection: it waits until then.
        var relayHold: RelayHold?
        /// What the transfer changed about its relay's pause.
        var relayChange = RelayChange.none
        /// `true` when this transfer was the probe of a paused relay.
        var probe = false
        /// Stopping: the message was never handed to a connection and goes back to the queue.
        var released = false
        /// Found at start-up: the outcome comes from the transfer journal of a daemon that stopped.
        var recovered = false
    }

    /// A send held back by a paused relay: until when, and why.
    private struct RelayHold: Sendable {
        var until: Date
        var reason: String
    }

    /// What the next group commit records, and what happens once it is durable.
    private struct Batch {
        var records: [SendRecord] = []
        /// Send-log lines to write to the daemon's log after the commit.
        var announced: [SendLogEntry] = []
        /// Rate-count reservations to settle after the commit (whether or not it succeeds).
        var settlements: [() -> Void] = []
        /// Store calls that must follow the commit (end a completed enrollment, suppress a bounced address).
        var followUps: [FollowUp] = []
        /// The last commit was durable: ``followUps`` are run now (by ``Scheduler/followUp(_:)``).
        var followUpsDue = false
        /// Claimed sends that never went out, to give back to the queue (stopping).
        var released: [Int64] = []
        /// The store refused this batch (or its follow-ups) with a storage fault: it is written before anything
        /// new is claimed.
        var isRetried = false

        /// Nothing to write.
        var isEmpty: Bool { records.isEmpty && followUps.isEmpty && released.isEmpty }

        mutating func add(_ record: SendRecord, announce: Bool) {
            records.append(record)
            if announce { announced.append(record.log) }
        }
    }

    /// Runs the checks for a claimed row; adds every verdict but `send` to `batch` and returns a `send` as a job.
    private func decide(_ row: PlannedSend, runtime: Runtime, into batch: inout Batch) -> Job? {
        let now = clock.now()
        do {
            // A row claimed ahead is judged as of its due time: the window, the limits and the lateness.
            let (verdict, context) = try check(row, runtime: runtime, now: max(now, row.nextAttemptAt))
            switch verdict {
            case .cancel(let reason, let endEnrollment):
                finish(row, state: .cancelled, reason: reason, runtime: runtime, now: now, context: nil, into: &batch)
                if let endEnrollment, let context {
                    let (store, id) = (store, context.enrollment.id)
                    batch.followUps.append { try store.endEnrollment(id, reason: endEnrollment, at: now) }
                }
            case .skip(let reason):
                finish(row, state: .skipped, reason: reason, runtime: runtime, now: now, context: context, into: &batch)
            case .hold(let until, let reason):
                hold(row, until: until, reason: reason, now: now, into: &batch)
            case .relayPaused(let until, let reason):
                // Logged once per pause at error priority, not once per held send.
                hold(row, until: until, reason: reason, now: now, into: &batch, announce: false)
            case .send(let prepared):
                if let context { return Job(row: row, prepared: prepared, context: context, runtime: runtime) }
            }
        } catch {
            faults.failed(
                "checking send \(row.id) to \(row.leadEmail) (held; looked at again in a minute)", error, at: now)
            hold(
                row, until: ScheduleTime.date(now, plus: .seconds(60)), reason: "store error: \(error)", now: now,
                into: &batch)
        }
        return nil
    }

    /// The checks made right before each send, in order; the first that stops the send decides.
    private func check(_ row: PlannedSend, runtime: Runtime, now: Date) throws(StoreError) -> (Verdict, Context?) {
        let configuration = runtime.configuration
        let stored = try store.sendContext(
            lead: row.leadEmail, enrollment: row.enrollmentID,
            suppressionKey: configuration.addressKeying.suppressionKey(for: row.leadEmail))
        guard let lead = stored.lead else {
            return (.cancel("the lead no longer exists", endEnrollment: nil), nil)
        }
        guard let enrollment = stored.enrollment, enrollment.isActive else {
            return (.cancel("the enrollment has ended", endEnrollment: nil), nil)
        }
        guard let sequence = configuration.sequence(id: row.sequence) else {
            return (.cancel("sequence `\(row.sequence)` was removed from the configuration", endEnrollment: nil), nil)
        }
        let context = Context(lead: lead, enrollment: enrollment, sequence: sequence)
        if lead.isUnsubscribed { return (.cancel("the lead unsubscribed", endEnrollment: .unsubscribed), context) }
        if lead.hasBounced { return (.cancel("the lead's address bounced", endEnrollment: .bounced), context) }
        if lead.stage.isTerminal {
            return (
                .cancel("the lead is in stage \(lead.stage), which receives nothing", endEnrollment: .stageChanged),
                context
            )
        }
        if stored.isSuppressed {
            return (.cancel("the address is on the suppression list", endEnrollment: .unsubscribed), context)
        }
        guard let step = sequence.step(id: row.step) else {
            return (.cancel("step `\(row.step)` was removed from `\(sequence.id)`", endEnrollment: nil), context)
        }
        if !step.applies(to: lead) {
            return (.skip("the step's condition no longer holds for this lead"), context)
        }
        let lateness = runtime.policy.lateness(for: sequence)
        if case .tooLate(let reason) = lateness.decide(dueAt: row.dueAt, now: now) {
            return (.skip(reason), context)
        }
        let owner = lead.owner.flatMap { configuration.salesperson(id: $0) }
        let zoneName = runtime.builder.timeZone(for: lead, sequence: sequence, owner: owner)
        let zone = TimeZone(identifier: zoneName) ?? .gmt
        if !sequence.window.isOpen(at: now, in: zone) {
            guard let opening = sequence.window.nextOpening(atOrAfter: now, in: zone) else {
                return (
                    .hold(until: ScheduleTime.date(now, plus: .seconds(3600)), reason: "the send window never opens"),
                    context
                )
            }
            let reason =
                "outside the send window of `\(sequence.id)`; next opening \(StepPlanner.localTime(opening, in: zone))"
            return (.hold(until: opening, reason: reason), context)
        }
        let identity = SenderIdentity.resolve(
            track: sequence.track, lead: lead, marketingSender: configuration.marketingSender,
            salespeople: configuration.salespeople)
        guard let from = identity.from else {
            let reason: String
            if case .held(let hold) = identity {
                reason = hold.description
            } else {
                reason = HoldReason.noOwner.description
            }
            return (.hold(until: ScheduleTime.date(now, plus: .seconds(300)), reason: reason), context)
        }
        let gap = configuration.defaults.limits.perLeadMinimumGap
        if gap > .zero, let last = try store.log(SendLogFilter(leadEmail: lead.email, state: .sent, limit: 1)).last {
            let allowed = ScheduleTime.date(last.at, plus: gap)
            if allowed > now {
                let reason =
                    "at most one email per lead every \(ScheduleTime.describe(gap)) (limits.per_lead_min_gap);"
                    + " last sent \(ScheduleTime.describe(last.at))"
                return (.hold(until: allowed, reason: reason), context)
            }
        }
        let domain = lead.email.domain.lowercased()
        let sender = from.address.description
        let limits = configuration.defaults.limits
        let senderPerDay = sequence.track == .sales ? owner.map { limits.dailyLimit(for: $0) } : limits.marketingPerDay
        let counted = SentCounter.Keys(sender: sender, domain: domain)
        let counts = try counter.counts(
            counted, now: now, needAll: runtime.policy.rateLimits.globalPerMinute != nil,
            needSender: senderPerDay != nil, needDomain: runtime.policy.rateLimits.perDomainPerHour != nil)
        if case .wait(let until, let reason) = runtime.policy.rateLimits.decide(
            counts: counts, senderPerDay: senderPerDay, sender: sender, domain: domain, now: now)
        {
            return (.hold(until: until, reason: reason), context)
        }
        let overdue =
            row.attempts == 0
            && (now.timeIntervalSince(row.nextAttemptAt) > ScheduleTime.seconds(runtime.policy.catchUp.threshold)
                || row.reason?.hasPrefix(Self.catchingUp) == true)
        if overdue {
            // The slot is taken when the send is allowed, so concurrent transfers cannot exceed the pace.
            let pacing = state.withLock { state -> RateDecision in
                state.overdueSent.removeAll { now.timeIntervalSince($0) >= 60 }
                let decision = runtime.policy.catchUp.decide(
                    dueAt: row.dueAt, now: now, overdueSentLastMinute: state.overdueSent.count)
                if case .allow = decision { state.overdueSent.append(now) }
                return decision
            }
            if case .wait(let until, let reason) = pacing {
                return (.hold(until: until, reason: "\(Self.catchingUp): \(reason)"), context)
            }
        }
        let messageID: MessageID
        do {
            messageID = try MessageID(row.messageID)
        } catch {
            return (.cancel("stored Message-ID \(row.messageID) is not valid: \(error)", endEnrollment: nil), context)
        }
        let relay = Self.relay(for: sequence, owner: owner, in: configuration)
        let pause = state.withLock { $0.pauses[relay.name] }
        if case .hold(let until, let reason) = runtime.policy.relayPause.admit(pause, now: now) {
            return (.relayPaused(until: until, reason: reason), context)
        }
        let prepared = reserve(
            messageID: messageID, stepID: step.id, from: from.address, to: lead.email, relay: relay, overdue: overdue)
        return (.send(prepared), context)
    }

    /// The relay a send of `sequence` goes through: the owner's own for the sales track, else the marketing relay.
    private static func relay(
        for sequence: EmailSequence, owner: Salesperson?, in configuration: NurtureConfiguration
    ) -> RelayConfiguration {
        configuration.relay(forSalesperson: sequence.track == .sales ? owner?.id : nil)
    }

    /// Reserves a send that is going out in the rate counts (until its outcome is recorded) and makes what its
    /// connection needs. Used by the checks before a send and by start-up recovery, which records an outcome.
    private func reserve(
        messageID: MessageID, stepID: String, from sender: EmailAddress, to recipient: EmailAddress,
        relay: RelayConfiguration, overdue: Bool
    ) -> Prepared {
        let counted = SentCounter.Keys(sender: sender.description, domain: recipient.domain.lowercased())
        counter.reserve(counted)
        return Prepared(
            messageID: messageID, stepID: stepID, envelope: Envelope(sender: sender, recipient: recipient),
            relay: relay, overdue: overdue, counted: counted)
    }

    static let catchingUp = "catching up after downtime"

    private func hold(
        _ row: PlannedSend, until: Date, reason: String, now: Date, into batch: inout Batch, announce: Bool? = nil
    ) {
        // The send log records every decision; the daemon's own log line is written only when the reason
        // changes, so a send held for hours by a window or a limit does not flood the journal.
        let update = SendUpdate(state: .held, nextAttemptAt: until, attempted: false, reason: reason)
        let entry = logEntry(row, state: .held, attempt: 0, detail: reason, sender: nil, now: now)
        batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: announce ?? (row.reason != reason))
    }

    /// Ends a row without sending (skipped, cancelled) and, for a skip, plans the step after it.
    private func finish(
        _ row: PlannedSend, state: SendState, reason: String, runtime: Runtime, now: Date, context: Context?,
        into batch: inout Batch
    ) {
        let update = SendUpdate(state: state, attempted: false, reason: reason)
        let entry = logEntry(row, state: state, attempt: 0, detail: reason, sender: nil, now: now)
        if state == .skipped, let context {
            recordAndPlanNext(row, update, entry, context: context, runtime: runtime, now: now, into: &batch)
        } else {
            batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: true)
        }
    }

    /// Adds a finished transfer's outcome to `batch`, with what follows from it.
    private func recordOutcome(_ finished: Finished, into batch: inout Batch) {
        let (row, prepared, context, runtime) = (
            finished.job.row, finished.job.prepared, finished.job.context, finished.job.runtime
        )
        if finished.released {
            release(finished.job, into: &batch)
            return
        }
        let now = clock.now()
        let counter = self.counter
        guard let outcome = finished.outcome else {
            batch.settlements.append { counter.settle(prepared.counted, sentAt: nil) }
            if let relayHold = finished.relayHold {
                hold(row, until: relayHold.until, reason: relayHold.reason, now: now, into: &batch, announce: false)
                return
            }
            let reason = "cannot render: \(finished.renderError ?? "?"); fix the template (`nurture check`) and reload"
            hold(row, until: ScheduleTime.date(now, plus: .seconds(600)), reason: reason, now: now, into: &batch)
            return
        }
        let attempt = row.attempts + 1
        let code = outcome.reply.map(\.code)
        let reply = outcome.reply?.description
        let sender = prepared.envelope.sender.description
        // An unknown send may have reached the relay: it counts against the limits like an accepted one.
        let sentAt: Date? = outcome.kind == .accepted || outcome.kind == .unknown ? now : nil
        batch.settlements.append { counter.settle(prepared.counted, sentAt: sentAt) }
        func entry(_ state: SendState, _ detail: String?) -> SendLogEntry {
            var entry = logEntry(row, state: state, attempt: attempt, detail: detail, sender: sender, now: now)
            entry.code = code
            entry.reply = reply
            entry.startedAt = finished.startedAt
            return entry
        }
        func retryOrGiveUp(_ detail: String) {
            switch runtime.policy.retry.decide(attempts: attempt, dueAt: row.dueAt, now: now) {
            case .retry(let at):
                let update = SendUpdate(
                    state: .deferred, nextAttemptAt: at, attempted: true, code: code, reply: reply,
                    reason: "\(detail); next attempt \(ScheduleTime.describe(at))")
                batch.add(
                    SendRecord(sendID: row.id, update: update, log: entry(.deferred, update.reason)), announce: true)
            case .giveUp(let reason):
                let update = SendUpdate(state: .failed, attempted: true, code: code, reply: reply, reason: reason)
                recordAndPlanNext(
                    row, update, entry(.failed, reason), context: context, runtime: runtime, now: now, into: &batch)
            }
        }
        switch outcome.kind {
        case .accepted:
            let update = SendUpdate(state: .sent, attempted: true, code: code, reply: reply)
            recordAndPlanNext(
                row, update, entry(.sent, nil), context: context, runtime: runtime, now: now, into: &batch)
        case .deferred:
            retryOrGiveUp("temporary failure" + (outcome.transportDetail.map { " (\($0))" } ?? ""))
        case .configurationError:
            if !recordPause(finished, fix: "fix the relay settings", now: now, into: &batch) {
                retryOrGiveUp("relay configuration error" + (outcome.transportDetail.map { " (\($0))" } ?? ""))
            }
        case .failed:
            let decision = Self.decision(for: outcome)
            let refusal = Self.refusal(outcome, decision)
            switch decision.effect {
            case .bounceRecipient:
                let reason = "permanent failure: \(refusal); the address is suppressed as bounced"
                let update = SendUpdate(state: .failed, attempted: true, code: code, reply: reply, reason: reason)
                batch.add(SendRecord(sendID: row.id, update: update, log: entry(.failed, reason)), announce: true)
                let (store, email, configuration) = (store, context.lead.email, runtime.configuration)
                batch.followUps.append {
                    _ = try await LeadService(store: store, configuration: configuration).apply(
                        .bounced, to: email, at: now)
                }
            case .failMessage:
                let reason = "this message was refused: \(refusal); the lead stays mailable and its sequence goes on"
                let update = SendUpdate(state: .failed, attempted: true, code: code, reply: reply, reason: reason)
                recordAndPlanNext(
                    row, update, entry(.failed, reason), context: context, runtime: runtime, now: now, into: &batch)
            case .pauseRelay:
                let fix = "check the sender address, the relay account and its policy"
                if !recordPause(finished, fix: fix, now: now, into: &batch) {
                    retryOrGiveUp("relay refusal: \(refusal)")
                }
            case .retry:
                retryOrGiveUp("temporary failure: \(refusal)")
            }
        case .unknown:
            switch runtime.policy.unknownOutcome {
            case .resend:
                let cause =
                    finished.recovered
                    ? (outcome.transportDetail ?? "the daemon stopped during the transfer")
                    : "connection lost after the message was sent"
                retryOrGiveUp("outcome unknown (\(cause)); resending with the same Message-ID")
            case .hold:
                let cause =
                    finished.recovered
                    ? (outcome.transportDetail ?? "the daemon stopped during the transfer")
                    : "the connection was lost after the message was sent"
                let reason =
                    "outcome unknown: \(cause); not resent"
                    + " (scheduling.unknown_outcome is hold); the sequence continues"
                let update = SendUpdate(state: .unknown, attempted: true, code: code, reply: reply, reason: reason)
                recordAndPlanNext(
                    row, update, entry(.unknown, reason), context: context, runtime: runtime, now: now, into: &batch)
            }
        }
        if case .resumed(let ended) = finished.relayChange {
            let relay = finished.job.prepared.relay.name
            emit(
                .notice(
                    "relay \(relay) accepts again (\(outcome)); the pause since \(ScheduleTime.describe(ended.since))"
                        + " is over and held sends go out"))
            let store = self.store
            batch.followUps.append { try store.clearRelayPause(relay: relay) }
        }
    }

    // MARK: Relay pauses

    /// Whether a message may go to `relay` now, taken right before the transfer (so sends checked before a
    /// pause began do not reach the relay). After the pause, the first send to ask becomes the probe.
    private func admitTransfer(
        through relay: RelayConfiguration, policy: RelayPausePolicy
    ) -> RelayPausePolicy.Admission {
        let now = clock.now()
        return state.withLock { state in
            let admission = policy.admit(state.pauses[relay.name], now: now)
            if admission == .probe, let pause = state.pauses[relay.name] {
                state.pauses[relay.name] = policy.probing(pause, now: now)
            }
            return admission
        }
    }

    /// What a transfer changed about its relay's pause.
    private enum RelayChange: Sendable {
        case none
        /// A relay-level refusal paused the relay (`started`) or met the pause (a refused probe extends it).
        case paused(RelayPause, started: Bool)
        /// The relay took a message past MAIL FROM: the pause is over.
        case resumed(RelayPause)
    }

    /// Updates the relay's pause right after a transfer, in the connection worker, so the next message a
    /// worker takes already sees it: a relay-level refusal (``OutcomePolicy/Effect/pauseRelay``, or a TLS or
    /// login configuration error) pauses the relay or extends the pause; a message the relay took past
    /// MAIL FROM ends it; a probe that proved nothing (a temporary failure, a lost connection) lets another
    /// probe go after the same wait.
    private func noteRelay(
        _ outcome: DeliveryOutcome, through relay: RelayConfiguration, policy: RelayPausePolicy, probe: Bool
    ) -> RelayChange {
        let now = clock.now()
        let cause: String?
        switch outcome.kind {
        case .configurationError:
            cause = "relay configuration error (TLS or login): " + (outcome.transportDetail ?? "\(outcome)")
        case .failed:
            let decision = Self.decision(for: outcome)
            cause = decision.effect == .pauseRelay ? Self.refusal(outcome, decision) : nil
        case .accepted, .deferred, .unknown:
            cause = nil
        }
        return state.withLock { state -> RelayChange in
            let previous = state.pauses[relay.name]
            if let cause {
                let pause = policy.refused(previous, relay: relay.name, cause: cause, probe: probe, now: now)
                state.pauses[relay.name] = pause
                return .paused(pause, started: previous == nil)
            }
            guard let previous else { return .none }
            if outcome.kind == .accepted || outcome.kind == .failed {
                state.pauses[relay.name] = nil
                return .resumed(previous)
            }
            if probe { state.pauses[relay.name] = policy.inconclusive(previous, now: now) }
            return .none
        }
    }

    /// What a `failed` outcome's refusal means (``OutcomePolicy``); a refusal without a reply line is read as a
    /// bare 550 at its phase.
    private static func decision(for outcome: DeliveryOutcome) -> OutcomePolicy.Decision {
        OutcomePolicy.decide(outcome.refusal ?? SMTPRefusal(phase: outcome.phase, code: 550))
    }

    /// `the relay refused the sender: 550 5.7.1 ... (at MAIL FROM)`.
    private static func refusal(_ outcome: DeliveryOutcome, _ decision: OutcomePolicy.Decision) -> String {
        "\(decision.ground): \(outcome.reply?.description ?? "no reply")" + (outcome.phase.map { " (\($0))" } ?? "")
    }

    /// Records a send that met a relay-level refusal: back to waiting until the pause ends (not failed; the lead
    /// stays mailable). The pause is logged at error priority once, when it starts; a refused probe is a warning.
    /// - Returns: `false` when the worker did not pause the relay for this transfer (then nothing is recorded).
    private func recordPause(_ finished: Finished, fix: String, now: Date, into batch: inout Batch) -> Bool {
        guard case .paused(let pause, let started) = finished.relayChange else { return false }
        let (row, relay) = (finished.job.row, finished.job.prepared.relay)
        if started {
            emit(
                .error(
                    "relay \(relay.name) refused: \(pause.cause); sends through it are paused until"
                        + " \(ScheduleTime.describe(pause.until)) and retried with backoff (leads stay mailable); \(fix)"
                ))
        } else if finished.probe {
            emit(
                .warning(
                    "relay \(relay.name) still refuses: \(pause.cause); next probe at \(ScheduleTime.describe(pause.until))"
                ))
        }
        let reply = finished.outcome?.reply
        let update = SendUpdate(
            state: .deferred, nextAttemptAt: pause.until, attempted: true, code: reply?.code,
            reply: reply?.description, reason: pause.holdReason)
        var entry = logEntry(
            row, state: .deferred, attempt: row.attempts + 1, detail: pause.holdReason,
            sender: finished.job.prepared.envelope.sender.description, now: now)
        entry.code = reply?.code
        entry.reply = reply?.description
        entry.startedAt = finished.startedAt
        batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: started || finished.probe)
        let store = self.store
        batch.followUps.append { try store.saveRelayPause(pause) }
        return true
    }

    /// Takes over the pauses a previous run recorded (a restart does not send a paused relay a burst).
    private func restorePauses() {
        do {
            let stored = try store.relayPauses()
            state.withLock { state in
                for pause in stored where state.pauses[pause.relay] == nil { state.pauses[pause.relay] = pause }
            }
        } catch {
            emit(.error("store: cannot read relay pauses: \(error)"))
        }
    }

    private func logEntry(
        _ row: PlannedSend, state: SendState, attempt: Int, detail: String?, sender: String?, now: Date
    ) -> SendLogEntry {
        SendLogEntry(
            at: now, sendID: row.id, leadEmail: row.leadEmail, sequence: row.sequence, step: row.step,
            messageID: row.messageID, state: state, attempt: attempt, detail: detail, sender: sender,
            recipientDomain: row.leadEmail.domain.lowercased())
    }
}

/// One transport per distinct relay setting (the marketing relay, a salesperson's own relay), opened lazily.
private final class TransportPool: Sendable {
    private let make: @Sendable (RelayConfiguration) -> any MessageTransport
    private let open = Mutex<[(RelayConfiguration, any MessageTransport)]>([])

    init(make: @escaping @Sendable (RelayConfiguration) -> any MessageTransport) {
        self.make = make
    }

    func transport(for relay: RelayConfiguration) -> any MessageTransport {
        open.withLock { open in
            if let found = open.first(where: { $0.0 == relay }) { return found.1 }
            let transport = make(relay)
            open.append((relay, transport))
            return transport
        }
    }

    func shutdown() async {
        let all = open.withLock { open in
            defer { open.removeAll() }
            return open.map(\.1)
        }
        for transport in all { await transport.shutdown() }
    }
}
