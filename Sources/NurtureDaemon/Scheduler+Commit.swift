import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore

/// Group commit: what the next store transaction records (outcomes, decisions, the next claim), what gives
/// claims back to the queue, and the store calls that follow a commit.
extension Scheduler {
    /// What the next group commit records, and what happens once it is durable.
    struct Batch {
        var records: [SendRecord] = []
        /// Send-log lines to write to the daemon's log after the commit.
        var announced: [SendLogEntry] = []
        /// Rate-count reservations to settle after the commit (whether or not it succeeds).
        var settlements: [Settlement] = []
        /// Store calls that must follow the commit (end a completed enrollment, suppress a bounced address).
        var followUps: [FollowUp] = []
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

    /// A rate-count reservation to end: with `sentAt`, the send counts from then on.
    struct Settlement: Sendable {
        var keys: SentCounter.Keys
        var sentAt: Date?
    }

    /// A store call that follows a commit, as a value (carried out by ``perform(_:)`` after the commit).
    enum FollowUp: Sendable {
        /// Ends the enrollment; `notice` is logged once it is done.
        case endEnrollment(Int64, EnrollmentEndReason, at: Date, notice: String?)
        /// Marks the lead bounced and suppresses its address.
        case bounce(EmailAddress, configuration: NurtureConfiguration, at: Date)
        /// Stores a relay's pause (for `nurture status` and the next start).
        case saveRelayPause(RelayPause)
        /// Removes a relay's stored pause.
        case clearRelayPause(String)
    }

    /// Carries out one follow-up.
    func perform(_ followUp: FollowUp) async throws {
        switch followUp {
        case .endEnrollment(let id, let reason, let at, let notice):
            try await store.endEnrollment(id, reason: reason, at: at)
            if let notice { emit(.notice(notice)) }
        case .bounce(let email, let configuration, let at):
            _ = try await LeadService(store: store, configuration: configuration).apply(.bounced, to: email, at: at)
        case .saveRelayPause(let pause):
            try await store.saveRelayPause(pause)
        case .clearRelayPause(let relay):
            try await store.clearRelayPause(relay: relay)
        }
    }

    /// Commits `batch` with the next claim in one transaction, then announces and follows up what it recorded.
    ///
    /// When the store refuses the commit with a storage fault (a full disk, a read-only file system), nothing is
    /// lost: the batch keeps its outcomes (rows stay `in-flight` in the store meanwhile), the backoff starts, and
    /// the next commit writes them first, as soon as the store takes writes again, without a restart. The batch
    /// is bounded by ``Options/claimAhead``, since nothing new is claimed while it waits. A follow-up refused
    /// with a fault is kept in the same way.
    func commit(_ batch: inout Batch, claiming: Int, mayHaveDue: inout Bool) async -> [PlannedSend] {
        await commitReleases(batch)
        batch.released.removeAll()
        var claimed: [PlannedSend] = []
        let now = clock.now()
        do {
            claimed = try await store.recordAll(
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
            if error.isFault {
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
            settle(batch)
            batch = Batch()
            return []
        }
        if !batch.records.isEmpty || !claimed.isEmpty { faults.succeeded(at: now) }
        // A step planned to fall due before the other daemons' next poll: wake them.
        let soon = ScheduleTime.date(now, plus: options.pollInterval)
        if batch.records.contains(where: { $0.next.map { $0.nextAttemptAt < soon } == true }) { await notifyOthers() }
        for entry in batch.announced { emit(.recorded(entry)) }
        settle(batch)
        var kept = Batch()
        for followUp in batch.followUps {
            do {
                try await perform(followUp)
            } catch let error as StoreError {
                faults.failed("following up a recorded send", error, at: clock.now())
                if error.isFault { kept.followUps.append(followUp) }
            } catch {
                emit(.error("store: following up a recorded send: \(error)"))
            }
        }
        kept.isRetried = !kept.followUps.isEmpty
        batch = kept
        return claimed
    }

    /// Ends the batch's rate-count reservations.
    private func settle(_ batch: Batch) {
        for settlement in batch.settlements { ledger.settle(settlement.keys, sentAt: settlement.sentAt) }
    }

    /// Adds a claimed send that never went out to the sends `batch` gives back to the queue.
    func release(_ job: Job, into batch: inout Batch) {
        batch.released.append(job.row.id)
        batch.settlements.append(Settlement(keys: job.prepared.counted, sentAt: nil))
    }

    static let releasedDetail = "claimed, never handed to the relay before the daemon stopped; waiting again"

    /// Gives `batch`'s released sends back to the queue in one transaction of their own, ahead of the outcomes:
    /// they are waiting again durably before the stop waits for the transfers in progress.
    private func commitReleases(_ batch: Batch) async {
        guard !batch.released.isEmpty else { return }
        do {
            let released = try await store.releaseInFlight(
                batch.released, detail: Self.releasedDetail, at: clock.now())
            emit(.notice("stopping: \(released.count) claimed send(s) not yet handed to the relay are waiting again"))
            await notifyOthers()
        } catch {
            emit(
                .error(
                    "store: cannot give \(batch.released.count) unsent claimed send(s) back to the queue: \(error);"
                        + " the next start does (the transfer journal shows they never went out)"))
        }
    }
}
