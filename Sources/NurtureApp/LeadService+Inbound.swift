package import Foundation
import NurtureConfig
package import NurtureCore

extension LeadService {
    /// Carries out what an incoming message decided for lead `email`, in one store transaction: each of the
    /// decision's events through ``LeadChanges`` (as ``apply(_:to:at:origin:)`` does: replies end the enrollment,
    /// opt-outs unsubscribe, bounces suppress), the out-of-office pause of the active enrollment, an `inbound`
    /// audit line with `detail`, and the message's `record`. When the message was already recorded the store
    /// refuses the whole change with a `constraint` error, and nothing of it is written.
    /// - Throws: `StoreError` `.notFound` when the lead is not in the store.
    package func applyInbound(
        _ decision: InboundDecision, to email: EmailAddress, record: InboundRecord, detail: String, at now: Date
    ) async throws(StoreError) -> Change {
        guard let lead = try await store.lead(email) else {
            throw StoreError(.notFound, "no lead \(email) in the store for the incoming message")
        }
        let enrollment = try await store.enrollments(for: email).last(where: \.isActive)
        var change = LeadChanges.apply(
            decision.events, to: lead, active: enrollment.map { LeadChanges.Active(id: $0.id, sequence: $0.sequence) },
            machine: configuration.stageMachine, cursor: try await store.roundRobinCursor(),
            keying: configuration.addressKeying, at: now)
        // The pause is for the enrollment still active after the events (an auto-reply carries none).
        let ended = change.steps.contains { if case .end = $0 { true } else { false } }
        let active = ended ? nil : enrollment
        if let until = decision.pauseUntil, let active {
            change.steps.append(.pause(enrollment: active.id, until: until))
            change.notes.append(.text("paused \(active.sequence) until \(ScheduleTime.describe(until))"))
        }
        change.steps.append(.audit(LeadAuditEntry(at: now, leadEmail: email, kind: "inbound", detail: detail)))
        change.steps.append(.inbound(record))
        let result = try await store.apply(change, at: now)
        return Change(lead: change.lead, created: result.created, notes: change.notes(cancelled: result.cancelled))
    }
}
