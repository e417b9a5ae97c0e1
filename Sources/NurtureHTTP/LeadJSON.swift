import Foundation
import NurtureCore

/// The JSON shapes of leads and enrollments in API responses (`JSONSerialization` objects, sorted on output).
enum LeadJSON {
    /// A lead with every field; absent optional fields are `null`.
    static func lead(_ lead: Lead) -> [String: Any] {
        var qualification: [String: Any] = [:]
        for criterion in VBANTCriterion.allCases {
            qualification[criterion.rawValue] = lead.qualification[criterion].rawValue
        }
        return [
            "email": lead.email.description, "first_name": lead.firstName ?? NSNull(),
            "last_name": lead.lastName ?? NSNull(), "company": lead.company ?? NSNull(),
            "title": lead.title ?? NSNull(), "time_zone": lead.timeZone ?? NSNull(), "stage": lead.stage.rawValue,
            "source": lead.source.rawValue, "owner": lead.owner ?? NSNull(), "qualification": qualification,
            "attributes": lead.attributes, "unsubscribed": lead.isUnsubscribed, "bounced": lead.hasBounced,
        ]
    }

    /// An enrollment: id, sequence, start, end and why it ended, and until when it is paused (out of office).
    static func enrollment(_ record: EnrollmentRecord) -> [String: Any] {
        [
            "id": record.id, "sequence": record.sequence, "started_at": timestamp(record.startedAt),
            "ended_at": record.endedAt.map(timestamp) ?? NSNull(),
            "end_reason": record.endReason?.rawValue ?? NSNull(), "active": record.isActive,
            "paused_until": record.pausedUntil.map(timestamp) ?? NSNull(),
        ]
    }

    /// A ledger row as an operator reads it.
    static func send(_ send: PlannedSend) -> [String: Any] {
        [
            "id": send.id, "sequence": send.sequence, "step": send.step, "state": send.state.rawValue,
            "due_at": timestamp(send.dueAt), "next_attempt_at": timestamp(send.nextAttemptAt),
            "attempts": send.attempts, "reason": send.reason ?? NSNull(), "message_id": send.messageID,
        ]
    }

    /// ISO 8601 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
