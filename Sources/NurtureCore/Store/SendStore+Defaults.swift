package import Foundation

/// The single-row conveniences, each one call of a batch requirement, so a backend implements only the batch.
extension SendStore {
    /// Inserts the lead or replaces the stored one with the same address (case-insensitive), as
    /// ``saveLeads(_:at:)`` does.
    /// - Returns: `true` when the lead is new.
    @discardableResult
    package func saveLead(_ lead: Lead, at: Date) async throws(StoreError) -> Bool {
        try await saveLeads([lead], at: at) == 1
    }

    /// What the scheduler re-checks right before one send, as ``sendContexts(_:)`` reads it.
    package func sendContext(
        lead: EmailAddress, enrollment: Int64, suppressionKey: SuppressionKey
    ) async throws(StoreError) -> SendContext {
        let key: SendContext.Key = (lead: lead, enrollment: enrollment, suppressionKey: suppressionKey)
        guard let context = try await sendContexts([key]).first else {
            throw StoreError("the store gave no answer for send context of \(lead)")
        }
        return context
    }

    /// The stored lead with this address (compared case-insensitively), or `nil`.
    package func lead(_ email: EmailAddress) async throws(StoreError) -> Lead? {
        try await leads([email]).first
    }

    /// Starts an enrollment, as ``enrollAll(_:at:endingOthers:)`` does: any active enrollment of the lead is
    /// ended first with `endingOthers` as the reason.
    package func enroll(
        _ email: EmailAddress, in sequence: String, at: Date, endingOthers: EnrollmentEndReason
    ) async throws(StoreError) -> EnrollmentRecord {
        let records = try await enrollAll(
            [EnrollmentRequest(email: email, sequence: sequence)], at: at, endingOthers: endingOthers)
        guard let record = records.first else {
            throw StoreError("the store returned no enrollment for \(email) in sequence \(sequence)")
        }
        return record
    }

    /// Plans a send, as ``planAll(_:at:)`` does: planning the same (enrollment, step) twice returns the existing
    /// row unchanged.
    package func plan(_ send: NewPlannedSend, at: Date) async throws(StoreError) -> PlannedSend {
        guard let row = try await planAll([send], at: at).first else {
            throw StoreError("the store returned no row for step \(send.step) of enrollment \(send.enrollmentID)")
        }
        return row
    }

    /// Applies `update` to the row, appends `log` (its id is assigned), and plans `next` if given, all in one
    /// transaction (``recordAll(_:at:claiming:dueBy:)`` claiming nothing).
    package func record(
        _ sendID: Int64, update: SendUpdate, log: SendLogEntry, next: NewPlannedSend?, at: Date
    ) async throws(StoreError) {
        _ = try await recordAll(
            [SendRecord(sendID: sendID, update: update, log: log, next: next)], at: at, claiming: 0, dueBy: at)
    }

    /// Moves up to `limit` waiting rows with `nextAttemptAt <= now` to `in-flight`, earliest first, durably, and
    /// returns them (``recordAll(_:at:claiming:dueBy:)`` recording nothing). Two callers never claim the same row.
    package func claimDue(now: Date, limit: Int) async throws(StoreError) -> [PlannedSend] {
        guard limit > 0 else { return [] }
        return try await recordAll([], at: now, claiming: limit, dueBy: now)
    }

    /// Whether any of ``SuppressionKey/accepted`` is on the suppression list (keyed or legacy unkeyed entries).
    package func isSuppressed(_ key: SuppressionKey) async throws(StoreError) -> Bool {
        try await suppressionReason(key) != nil
    }
}
