import Foundation
import NurtureConfig
package import NurtureCore
import NurtureSMTP

/// Start-up recovery: the sends a stopped daemon left in flight, decided by ``InFlightRecovery`` from the
/// transfer journal and recorded as the live outcome would have been.
extension Scheduler {
    /// What start-up recovery did with the sends a stopped daemon left in flight.
    package struct Recovery: Sendable, Equatable {
        /// Never went out (no `started` record): waiting again, no attempt counted.
        package var requeued = 0
        /// Finished before the stop (a `replied` record): recorded with that outcome.
        package var recorded = 0
        /// The body may have reached the relay and no final reply was recorded: handled as an `unknown` outcome
        /// (held, or resent with `scheduling.unknown_outcome: resend`).
        package var unknown = 0
        /// The journal found; `nil` when the daemon runs without one.
        package var journal: JournalStanding?
        /// Whether a fresh journal records this run's transfers (`nil` without a journal).
        package var reset: TransferJournal.ResetResult?
    }

    /// Resolves the sends a stopped daemon left `in-flight`, before anything is claimed; call once before
    /// ``run()``. Each is decided by ``InFlightRecovery`` from the transfer journal: never started → waiting
    /// again; finished → recorded as the live outcome would have been (next step planned, bounce applied, ...);
    /// started without a reply, or no trustworthy journal → an `unknown` outcome, which
    /// `scheduling.unknown_outcome` holds or resends. Then the journal starts afresh.
    package func recover() async throws(StoreError) -> Recovery {
        let rows = try await store.inFlightSends()
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
                guard try await recordRecovered(row, outcome: outcome, runtime: runtime, into: &batch) else {
                    continue
                }
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
            }
            if !requeue.isEmpty {
                let detail = "claimed, but never handed to the relay before the daemon stopped; waiting again"
                summary.requeued = try await store.releaseInFlight(requeue, detail: detail, at: now).count
                emit(
                    .notice(
                        "\(summary.requeued) send(s) claimed but never started before the daemon stopped are waiting again"
                    ))
            }
            if !batch.records.isEmpty {
                var mayHaveDue = true
                _ = await commit(&batch, claiming: 0, mayHaveDue: &mayHaveDue)
            }
            // What is still in flight (no context to record it with, or the store refused the outcomes): unknown.
            for row in try await store.recoverInFlight(at: now) {
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

    /// Adds the outcome of a send a stopped daemon left in flight (start-up recovery, or a send another daemon's
    /// lease left started, see ``clusterTick()``) to `batch`, as the live outcome would have been recorded: an
    /// `unknown` one is held or resent as `scheduling.unknown_outcome` says.
    /// - Returns: `false` when its lead, enrollment or step is gone (nothing added).
    func recordRecovered(
        _ row: PlannedSend, outcome: DeliveryOutcome, runtime: Runtime, into batch: inout Batch
    ) async throws(StoreError) -> Bool {
        guard let job = try await recoveredJob(row, runtime: runtime) else { return false }
        // Pauses are not tracked for recovered outcomes: a relay-level refusal is retried with backoff.
        let facts = OutcomeFacts(outcome, attempt: row.attempts + 1, dueAt: row.dueAt, recovered: true)
        let decision = OutcomePolicy.decide(facts, policy: runtime.policy, now: clock.now())
        recordOutcome(
            Finished(job: job, outcome: outcome, decision: decision, startedAt: row.updatedAt), into: &batch)
        return true
    }

    /// The job a recovered send would have had: its lead, enrollment and step as they are now, the sender and
    /// relay its track resolves to. `nil` when any is gone.
    private func recoveredJob(_ row: PlannedSend, runtime: Runtime) async throws(StoreError) -> Job? {
        let configuration = runtime.configuration
        let stored = try await store.sendContext(
            lead: row.leadEmail, enrollment: row.enrollmentID,
            suppressionKey: configuration.addressKeying.suppressionKey(for: row.leadEmail))
        guard let lead = stored.lead, let enrollment = stored.enrollment,
            let sequence = runtime.sendPolicy.sequences[row.sequence], let step = sequence.step(id: row.step),
            let messageID = try? MessageID(row.messageID)
        else { return nil }
        let identity = SenderIdentity.resolve(
            track: sequence.track, lead: lead, marketingSender: configuration.marketingSender,
            salespeople: configuration.salespeople)
        guard let from = identity.from else { return nil }
        let owner = runtime.sendPolicy.owner(of: lead)
        let prepared = prepare(
            sendID: row.id, messageID: messageID, stepID: step.id, from: from.address, to: lead.email,
            relay: Self.relay(for: sequence, owner: owner, in: configuration), verp: configuration.inbound.verp,
            overdue: false, recovered: true)
        return Job(
            row: row, prepared: prepared, context: Context(lead: lead, enrollment: enrollment, sequence: sequence),
            runtime: runtime)
    }
}
