import Foundation
import NurtureCore
import NurtureSMTP

/// The send pipeline's stages: render tasks, connection workers, and the coordinator that claims, checks,
/// hands out and records (see ``Scheduler/pass()``).
extension Scheduler {
    /// A render task: renders and composes checked sends, in parallel with the checks and the transfers.
    func render(_ jobs: HandOff<Job>, _ ready: HandOff<Rendered>, _ results: HandOff<Finished>) async {
        while let job = await jobs.take() {
            if isStopping {
                results.put(Finished(job: job, startedAt: clock.now(), released: true))
                continue
            }
            guard let resolved = job.resolved else {
                results.put(Finished(job: job, renderError: "nothing resolved to render", startedAt: clock.now()))
                continue
            }
            do {
                let built = try job.runtime.builder.render(resolved, lead: job.context.lead, date: clock.now())
                ready.put(Rendered(job: job, bytes: built.bytes))
            } catch {
                results.put(Finished(job: job, renderError: "\(error)", startedAt: clock.now()))
            }
        }
    }

    /// A connection worker: sends rendered messages one after another until the pass ends.
    ///
    /// On a shared store each transfer's reply is written to its row (``TransferReply``) with this worker's next
    /// `markStarted`, in the same transaction, so a daemon killed before its group commit leaves those outcomes,
    /// not `unknown`. A worker with nothing queued saves nothing more (a commit per send of its own would load the
    /// database): the coordinator, with nothing to wait for, commits that outcome at once.
    func work(_ ready: HandOff<Rendered>, _ results: HandOff<Finished>) async {
        var unsaved: [TransferReply] = []
        while let rendered = await ready.take() {
            let (job, bytes) = (rendered.job, rendered.bytes)
            // Claimed up to the lookahead early: hold the message until it is due, never sending early.
            while clock.now() < job.row.nextAttemptAt, !Task.isCancelled, !isStopping {
                await clock.pause(until: job.row.nextAttemptAt)
            }
            // Stopping: a message not yet handed to its connection goes back to the queue.
            if isStopping {
                results.put(Finished(job: job, startedAt: clock.now(), released: true))
                continue
            }
            let startedAt = clock.now()
            // The lead as it is now: a change made since the checks stops the send here. Then, with several
            // daemons, the row must still be this daemon's, and its start is journaled in the store.
            var notStarted = await lastLook(job)
            if notStarted == nil { notStarted = await markStarted(job, saving: &unsaved) }
            if let notStarted {
                results.put(Finished(job: job, startedAt: startedAt, notStarted: notStarted))
                continue
            }
            // A relay paused since the checks (another connection met a relay-level refusal) gets nothing more:
            // the send goes back to waiting without a transfer. After the pause, one send goes as the probe.
            let admission = admitTransfer(through: job.prepared.relay, policy: job.runtime.policy.relayPause)
            if case .hold(let until, let reason) = admission {
                results.put(
                    Finished(job: job, startedAt: startedAt, relayHold: RelayHold(until: until, reason: reason)))
                continue
            }
            let started = ContinuousClock.now
            let (journal, clock, sendID, attempt) = (journal, clock, job.row.id, job.row.attempts + 1)
            let outcome = await transports.transport(for: job.prepared.relay).send(
                bytes, envelope: job.prepared.envelope,
                beforeBody: { journal?.started(sendID: sendID, attempt: attempt, at: clock.now()) ?? true })
            journal?.replied(sendID: sendID, attempt: attempt, outcome: outcome, at: clock.now())
            if cluster != nil { unsaved.append(TransferReply(outcome, sendID: sendID, attempt: attempt)) }
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
                    job: job, outcome: outcome, decision: decideOutcome(outcome, of: job, probe: probe),
                    startedAt: startedAt, probe: probe))
        }
        if !unsaved.isEmpty { _ = await saveReplies(unsaved) }
    }

    /// Claims, checks, hands out and records until nothing due is left and nothing is in flight.
    func coordinate(_ jobs: HandOff<Job>, _ ready: HandOff<Rendered>, _ results: HandOff<Finished>) async {
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
                    claimAt = try await claimTime()
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
            let claimed = await commit(&batch, claiming: max(0, room), mayHaveDue: &mayHaveDue)
            if let last = claimed.last?.nextAttemptAt { claimedUntil = max(claimedUntil ?? last, last) }
            heartbeat()
            let runtime = self.runtime
            let contexts = await sendContexts(for: claimed, runtime: runtime)
            for (index, row) in claimed.enumerated() {
                if let job = await check(row, stored: contexts.map { $0[index] }, runtime: runtime, into: &batch) {
                    inPipeline += 1
                    jobs.put(job)
                }
            }
        }
    }
}
