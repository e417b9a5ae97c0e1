import Foundation
package import NurtureCore
import NurtureSMTP

/// The scheduler on a store several daemons share (``ClusterStore``, PostgreSQL): each transfer fenced and
/// journaled in the store before its body goes out, the cluster loop (heartbeat and lease renewal, the leader
/// lease, taking over the sends of a daemon that stopped), and wake-ups for the other daemons.
extension Scheduler {
    /// Why a checked send was not handed to its connection.
    enum NotStarted: Sendable {
        /// The row is no longer this daemon's (its lease ran out and another daemon took it over, or it was
        /// recorded): nothing is sent and nothing recorded.
        case fenced
        /// The store could not mark the transfer started, or read the lead for the last look: nothing is sent;
        /// the row waits a minute.
        case storeFailed(StoreError)
        /// The lead or its enrollment changed after the checks so that the send must not go
        /// (``SendGate/lastLook(_:policy:now:)``): the verdict is carried out instead, over the lead as it is now.
        case withdrawn(SendVerdict, Context?)
    }

    /// What one ``clusterTick()`` did.
    package struct ClusterTick: Sendable, Equatable {
        /// Whether this daemon holds the leader lease now.
        package var isLeader: Bool
        /// Whether that changed with this tick.
        package var leadershipChanged: Bool
        /// Sends whose daemon stopped holding them before their transfer started: waiting again.
        package var requeued: [PlannedSend] = []
        /// Sends whose daemon stopped holding them after their transfer started: recorded as `unknown`.
        package var unknown: [PlannedSend] = []
    }

    /// Marks `job`'s transfer started in a shared store, right before its body may go out, saving `unsaved`
    /// (this connection's earlier replies) in the same transaction; `nil` when it may go (or the store is not
    /// shared: the transfer journal is the journal then). `unsaved` is emptied once the store took it.
    func markStarted(_ job: Job, saving unsaved: inout [TransferReply]) async -> NotStarted? {
        guard let cluster else { return nil }
        do {
            let marked = try await cluster.markStarted(job.row.id, at: clock.now(), saving: unsaved)
            unsaved.removeAll()
            return marked ? nil : .fenced
        } catch {
            return .storeFailed(error)
        }
    }

    /// Writes `replies` to their rows in a shared store; returns what is still unsaved (all of it when the store
    /// refused: the next `markStarted` tries again, and the group commit records the outcomes anyway).
    func saveReplies(_ replies: [TransferReply]) async -> [TransferReply] {
        guard let cluster, !replies.isEmpty else { return [] }
        do {
            try await cluster.saveReplies(replies)
            return []
        } catch {
            emit(.warning("store: cannot save \(replies.count) transfer repl(ies) ahead of their record: \(error)"))
            return replies
        }
    }

    /// Adds what follows a send that was not started to `batch`: nothing for a fenced one (another daemon holds
    /// it), a hold of a minute when the store failed.
    func recordNotStarted(_ job: Job, _ notStarted: NotStarted, into batch: inout Batch) {
        batch.settlements.append(Settlement(keys: job.prepared.counted, sentAt: nil))
        let row = job.row
        switch notStarted {
        case .fenced:
            emit(
                .warning(
                    "send \(row.id) to \(row.leadEmail) (\(row.messageID)) not sent: this daemon no longer holds it"
                        + " (its lease ran out and another daemon took it over)"))
        case .withdrawn(let verdict, let context):
            emit(.notice("send \(row.id) to \(row.leadEmail) not sent: the lead changed after its checks"))
            carryOut(verdict, row, context: context, runtime: job.runtime, now: clock.now(), into: &batch)
        case .storeFailed(let error):
            let now = clock.now()
            faults.failed("starting send \(row.id) (held; looked at again in a minute)", error, at: now)
            hold(
                row, until: ScheduleTime.date(now, plus: .seconds(60)), reason: .storeError("\(error)"), now: now,
                into: &batch)
        }
    }

    /// Tells the other daemons to look at the store now (best effort: an error is logged, never fatal).
    func notifyOthers() async {
        guard let cluster else { return }
        do {
            try await cluster.notifyOthers()
        } catch {
            emit(.warning("store: cannot wake the other daemons: \(error); they find the change at their next poll"))
        }
    }

    /// One round of the cluster loop; call every ``ClusterStore/leaseDuration`` / 3. Renews this daemon's
    /// heartbeat and the leases of its claims, takes or renews the leader lease (``leadership``), and takes over
    /// the sends whose lease ran out: those never started wait again; those started are recorded as `unknown`
    /// outcomes, exactly as start-up recovery records a transfer that started without a reply
    /// (`scheduling.unknown_outcome` holds or resends them).
    /// - Returns: `nil` for a store one daemon owns.
    package func clusterTick() async throws(StoreError) -> ClusterTick? {
        guard let cluster else { return nil }
        let now = clock.now()
        try await cluster.heartbeat(at: now)
        let isLeader = try await cluster.holdLeadership(at: now)
        let changed = leadership.set(isLeader)
        let reclaimed = try await cluster.reclaimExpired(at: now)
        var tick = ClusterTick(isLeader: isLeader, leadershipChanged: changed, requeued: reclaimed.requeued)
        tick.unknown = try await recordReclaimed(reclaimed.possiblyTransmitted, replies: reclaimed.replies)
        if changed && isLeader || !reclaimed.requeued.isEmpty { timer.wake() }
        if !reclaimed.requeued.isEmpty || !reclaimed.possiblyTransmitted.isEmpty { await notifyOthers() }
        return tick
    }

    /// On the leader, folds the count changes the daemons' writes appended (``ClusterStore/foldCounts()``); call it
    /// every ``ClusterStore/leaseDuration`` / 3, apart from ``clusterTick()``: a fold of a large backlog (after a
    /// bulk import, or a while without a leader) must never hold up the heartbeat that keeps the leases. An error
    /// is logged, never fatal: the changes wait for the next fold, and readers add them meanwhile.
    package func foldCounts() async {
        guard let cluster, leadership.isLeader else { return }
        do {
            try await cluster.foldCounts()
        } catch {
            emit(.warning("store: cannot fold the changes to the send counts: \(error); tried again in a while"))
        }
    }

    /// Records each send another daemon left started: with the reply that daemon saved, else as an `unknown`
    /// outcome (now held by this daemon).
    private func recordReclaimed(
        _ rows: [PlannedSend], replies: [Int64: TransferReply]
    ) async throws(StoreError) -> [PlannedSend] {
        guard !rows.isEmpty else { return [] }
        let runtime = self.runtime
        let now = clock.now()
        let cause = "the daemon holding it stopped (its lease ran out) after the transfer started"
        var batch = Batch()
        for row in rows {
            let outcome =
                replies[row.id].map(DeliveryOutcome.init(saved:))
                ?? DeliveryOutcome(kind: .unknown, reply: nil, transportDetail: cause)
            if try await recordRecovered(row, outcome: outcome, runtime: runtime, into: &batch) { continue }
            // Its lead, enrollment or step is gone: recorded with its outcome's state, nothing planned after it.
            let state: SendState =
                switch outcome.kind {
                case .accepted: .sent
                case .failed: .failed
                default: .unknown
                }
            let update = SendUpdate(state: state, attempted: true, reason: "\(outcome)")
            let entry = logEntry(
                row, state: state, attempt: row.attempts + 1, detail: "\(outcome)", sender: nil, now: now)
            batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: true)
        }
        for row in rows {
            if let reply = replies[row.id] {
                emit(
                    .notice(
                        "send \(row.id) to \(row.leadEmail) (\(row.messageID)) was transferred by a daemon that stopped"
                            + " before recording it: recorded with the reply it saved (\(DeliveryOutcome(saved: reply)))"
                    ))
            } else {
                emit(
                    .warning(
                        "send \(row.id) to \(row.leadEmail) (\(row.sequence)/\(row.step), \(row.messageID)) was started"
                            + " by a daemon that stopped holding it: recorded as unknown (scheduling.unknown_outcome:"
                            + " \(runtime.policy.unknownOutcome.rawValue))"))
            }
        }
        var mayHaveDue = true
        _ = await commit(&batch, claiming: 0, mayHaveDue: &mayHaveDue)
        return rows.filter { replies[$0.id] == nil }
    }

    /// Marks this daemon stopped in a shared store, after the scheduler's ``run()`` returned (its unstarted claims
    /// given back, its transfers recorded).
    package func signOff() async throws(StoreError) {
        try await cluster?.signOff(at: clock.now())
    }
}
