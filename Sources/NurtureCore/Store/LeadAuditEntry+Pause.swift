package import Foundation

extension LeadAuditEntry {
    /// The audit line of an out-of-office pause: `paused <sequence> until <ISO time> (out of office)`.
    package static func paused(_ email: EmailAddress, sequence: String, until: Date, at: Date) -> Self {
        LeadAuditEntry(
            at: at, leadEmail: email, kind: "paused",
            detail: "paused \(sequence) until \(ScheduleTime.describe(until)) (out of office)")
    }
}
