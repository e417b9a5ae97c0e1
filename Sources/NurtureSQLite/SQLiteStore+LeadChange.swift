public import Foundation
internal import GRDB
public import NurtureCore

extension SQLiteStore {
    public func applyLeadChange(_ change: LeadChange, at: Date) async throws(StoreError) -> LeadChange.Outcome {
        let cursorJSON = try change.cursor.map { cursor throws(StoreError) in try Self.encode(cursor) }
        let email = change.lead.email
        return try await write("changing lead \(email)") { db in
            let now = Milliseconds.from(at)
            let created = try upsert(change.lead, at: now, db)
            for entry in change.audit { try appendAudit(entry, db) }
            if let suppression = change.suppression {
                try suppress(suppression.key, reason: suppression.reason, at: now, db)
            }
            if let cursorJSON { try saveRoundRobinCursor(json: cursorJSON, db) }
            var cancelled = 0
            if let ended = change.endEnrollment {
                cancelled = try end(ended.id, reason: ended.reason, at: at, db)
                try appendAudit(
                    .enrollmentEnded(
                        email, sequence: ended.sequence, reason: ended.reason, cancelled: cancelled, at: at),
                    db)
            }
            var enrollment: EnrollmentRecord?
            if let sequence = change.enroll {
                let record = try insertEnrollment(email, in: sequence, at: at, endingOthers: .stageChanged, db)
                try appendAudit(.enrolled(email, in: sequence, enrollmentID: record.id, at: at), db)
                enrollment = record
            }
            return LeadChange.Outcome(created: created, cancelledSends: cancelled, enrollment: enrollment)
        }
    }
}
