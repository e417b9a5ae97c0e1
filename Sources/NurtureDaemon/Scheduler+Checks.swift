import Foundation
import NurtureConfig
import NurtureCore
import NurtureSMTP
import Synchronization

/// The checks before a send: gathering the facts ``SendGate`` decides over, and carrying out its verdict.
extension Scheduler {
    /// Checks a claimed row: gathers its facts, asks ``SendGate``, adds every verdict but `send` to `batch`, and
    /// returns a `send` as a job (reserved in the rate counts by the ``RateLedger`` and, when overdue, in the catch-up pacing).
    /// `stored` is the row's lead, enrollment and suppression flag (``sendContexts(for:runtime:)``), or the
    /// store's refusal to read them.
    func check(
        _ row: PlannedSend, stored: Result<SendContext, StoreError>, runtime: Runtime, into batch: inout Batch
    ) async -> Job? {
        let now = clock.now()
        // A row claimed ahead is judged as of its due time: the window, the limits and the lateness.
        let checkedAt = max(now, row.nextAttemptAt)
        let verdict: SendVerdict
        let facts: SendFacts
        do {
            (verdict, facts) = try await decide(row, stored: try stored.get(), runtime: runtime, now: checkedAt)
        } catch {
            faults.failed(
                "checking send \(row.id) to \(row.leadEmail) (held; looked at again in a minute)", error, at: now)
            hold(
                row, until: ScheduleTime.date(now, plus: .seconds(60)), reason: HoldReason.storeError("\(error)"),
                now: now, into: &batch)
            return nil
        }
        let context = facts.lead.flatMap { lead in
            facts.enrollment.flatMap { enrollment in
                runtime.sendPolicy.sequences[row.sequence].map {
                    Context(lead: lead, enrollment: enrollment, sequence: $0)
                }
            }
        }
        guard case .send(let resolved) = verdict else {
            carryOut(verdict, row, context: context, runtime: runtime, now: now, into: &batch)
            return nil
        }
        guard let context else { return nil }
        if resolved.overdue {
            // The slot is taken when the send is allowed, so concurrent transfers cannot exceed the pace.
            state.withLock { $0.overdueSent.append(checkedAt) }
        }
        let prepared = prepare(
            sendID: row.id, messageID: resolved.messageID, stepID: resolved.step.id, from: resolved.from.address,
            to: context.lead.email,
            relay: Self.relay(for: resolved.sequence, owner: resolved.owner, in: runtime.configuration),
            verp: runtime.configuration.inbound.verp, overdue: resolved.overdue)
        return Job(row: row, prepared: prepared, context: context, runtime: runtime, resolved: resolved)
    }

    /// Adds what a verdict that stops `row` leads to (cancelled, skipped with the next step planned, held) to
    /// `batch`; `context` is the row's lead, enrollment and sequence when they exist.
    func carryOut(
        _ verdict: SendVerdict, _ row: PlannedSend, context: Context?, runtime: Runtime, now: Date,
        into batch: inout Batch
    ) {
        switch verdict {
        case .cancel(let reason):
            finish(row, state: .cancelled, reason: reason, runtime: runtime, now: now, context: nil, into: &batch)
            if let ending = reason.endsEnrollment, let context {
                batch.followUps.append(.endEnrollment(context.enrollment.id, ending, at: now, notice: nil))
            }
        case .skip(let reason):
            finish(row, state: .skipped, reason: reason, runtime: runtime, now: now, context: context, into: &batch)
        case .hold(let until, let reason):
            // A paused relay is logged once per pause at error priority, not once per held send.
            hold(row, until: until, reason: reason, now: now, into: &batch, announce: Self.announcesHold(reason.kind))
        case .send:
            // Only the checks send; a verdict carried out here never does.
            break
        }
    }

    /// The lead, the enrollment and the suppression flag of every claimed row, in one read (one snapshot, one
    /// trip to the store for the whole claim), in the order of `rows`.
    func sendContexts(for rows: [PlannedSend], runtime: Runtime) async -> Result<[SendContext], StoreError> {
        let keying = runtime.configuration.addressKeying
        let keys: [SendContext.Key] = rows.map { row in
            (row.leadEmail, row.enrollmentID, keying.suppressionKey(for: row.leadEmail))
        }
        do {
            let contexts = try await store.sendContexts(keys)
            guard contexts.count == rows.count else {
                return .failure(StoreError("the store read \(contexts.count) send contexts for \(rows.count) sends"))
            }
            return .success(contexts)
        } catch {
            return .failure(error)
        }
    }

    /// Runs ``SendGate`` over the facts about `row`: `stored` (its lead, enrollment and suppression flag), and the
    /// history (the lead's last send, the rate counts, the catch-up pace, the relay's pause) gathered only for a
    /// send that passed the first rungs.
    func decide(
        _ row: PlannedSend, stored: SendContext, runtime: Runtime, now: Date
    ) async throws(StoreError) -> (SendVerdict, SendFacts) {
        let facts = SendFacts(
            row: row, lead: stored.lead, enrollment: stored.enrollment, isSuppressed: stored.isSuppressed)
        let policy = runtime.sendPolicy
        switch SendGate.screen(facts, policy: policy, now: now) {
        case .stop(let verdict):
            return (verdict, facts)
        case .pass(let screened):
            return (try await admit(screened, runtime: runtime, now: now), facts)
        }
    }

    /// The last rungs of the gate for a screened send, over the history they read: the lead's last send and the
    /// rate counts from the ``RateLedger`` (which reserves the send when it is allowed), the catch-up pace and
    /// the relay's pause from memory.
    private func admit(
        _ screened: SendGate.Screened, runtime: Runtime, now: Date
    ) async throws(StoreError) -> SendVerdict {
        let relay = Self.relay(for: screened.sequence, owner: screened.owner, in: runtime.configuration)
        let (overdue, pause) = state.withLock { state in
            state.overdueSent.removeAll { now.timeIntervalSince($0) >= 60 }
            return (state.overdueSent.count, state.pauses[relay.name])
        }
        let policy = runtime.sendPolicy
        return try await ledger.admit(
            screened, sendID: screened.row.id, lastSentNeeded: policy.limits.perLeadMinimumGap > .zero, now: now
        ) { lastSent, counts in
            let history = SendHistory(
                lastSentToLead: lastSent, counts: counts, overdueSentLastMinute: overdue, relayPause: pause)
            return SendGate.admit(screened, history: history, policy: policy, now: now)
        }
    }

    /// Whether a hold of this kind is written to the daemon's log when its reason changes (`nil`), or never
    /// (`false`: a paused relay is logged once per pause, not per held send).
    static func announcesHold(_ kind: ReasonKind) -> Bool? {
        kind == .relayPaused ? false : nil
    }

    /// The relay a send of `sequence` goes through: the owner's own for the sales track, else the marketing relay.
    static func relay(
        for sequence: EmailSequence, owner: Salesperson?, in configuration: NurtureConfiguration
    ) -> RelayConfiguration {
        configuration.relay(forSalesperson: sequence.track == .sales ? owner?.id : nil)
    }

    /// Makes what a send's connection needs. Used by the checks before a send (the ``RateLedger`` reserved it in
    /// the rate counts when it admitted it) and by recovery, which records an outcome (`recovered`: reserved here,
    /// until its outcome is recorded).
    ///
    /// The envelope sender (`MAIL FROM`) is the send's VERP address when `inbound.verp` is configured, so a
    /// bounce names the send; otherwise the From address. Limits and the send log count the From address.
    func prepare(
        sendID: Int64, messageID: MessageID, stepID: String, from sender: EmailAddress, to recipient: EmailAddress,
        relay: RelayConfiguration, verp: VERPCodec?, overdue: Bool, recovered: Bool = false
    ) -> Prepared {
        let counted = SentCounter.Keys(sender: sender.description, domain: recipient.domain.lowercased())
        if recovered { ledger.reserveRecovered(counted) }
        let envelopeSender = verp?.address(forSend: sendID) ?? sender
        return Prepared(
            messageID: messageID, stepID: stepID, envelope: Envelope(sender: envelopeSender, recipient: recipient),
            relay: relay, overdue: overdue, counted: counted)
    }

    /// Adds a hold of `row` until `until` to `batch`.
    func hold(
        _ row: PlannedSend, until: Date, reason: HoldReason, now: Date, into batch: inout Batch, announce: Bool? = nil
    ) {
        // The send log records every decision; the daemon's own log line is written only when the reason
        // changes, so a send held for hours by a window or a limit does not flood the journal.
        let prose = reason.description
        let update = SendUpdate(
            state: .held, nextAttemptAt: until, attempted: false, reason: prose, reasonKind: reason.kind)
        var entry = logEntry(row, state: .held, attempt: 0, detail: prose, sender: nil, now: now)
        entry.reasonKind = reason.kind
        batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: announce ?? (row.reason != prose))
    }

    /// Ends a row without sending (skipped, cancelled) and, for a skip, plans the step after it.
    func finish(
        _ row: PlannedSend, state: SendState, reason: any SendReason, runtime: Runtime, now: Date, context: Context?,
        into batch: inout Batch
    ) {
        let update = SendUpdate(state: state, attempted: false, reason: reason.description, reasonKind: reason.kind)
        var entry = logEntry(row, state: state, attempt: 0, detail: reason.description, sender: nil, now: now)
        entry.reasonKind = reason.kind
        if state == .skipped, let context {
            recordAndPlanNext(row, update, entry, context: context, runtime: runtime, now: now, into: &batch)
        } else {
            batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: true)
        }
    }

    /// A send-log line about `row`.
    func logEntry(
        _ row: PlannedSend, state: SendState, attempt: Int, detail: String?, sender: String?, now: Date
    ) -> SendLogEntry {
        SendLogEntry(
            at: now, sendID: row.id, leadEmail: row.leadEmail, sequence: row.sequence, step: row.step,
            messageID: row.messageID, state: state, attempt: attempt, detail: detail, sender: sender,
            recipientDomain: row.leadEmail.domain.lowercased())
    }
}
