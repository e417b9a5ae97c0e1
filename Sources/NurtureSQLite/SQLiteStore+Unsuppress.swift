package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    package func suppressionReason(_ key: SuppressionKey) async throws(StoreError) -> String? {
        try await read("checking suppressions") { db in
            for hash in key.accepted {
                if let reason = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT reason FROM suppressions WHERE address_hash = ?"),
                    arguments: [hash.lowercased()])
                {
                    return reason
                }
            }
            return nil
        }
    }

    package func unsuppress(_ change: Unsuppression, at: Date) async throws(StoreError) {
        let email = change.lead.email
        try await write("unsuppressing \(email)") { db in
            let now = Milliseconds.from(at)
            try db.execute(
                sql: "UPDATE leads SET bounced = 0, updated_at = ? WHERE email = ?",
                arguments: [now, email.description])
            for hash in change.suppressionKey.accepted {
                try db.execute(sql: "DELETE FROM suppressions WHERE address_hash = ?", arguments: [hash.lowercased()])
            }
            if let enrollment = change.reopenEnrollment {
                // Re-opened with needs_plan set; reviving its last send below clears it again (trigger).
                try db.execute(
                    sql: """
                        UPDATE enrollments SET ended_at = NULL, end_reason = NULL, needs_plan = 1
                        WHERE id = ? AND ended_at IS NOT NULL
                        """,
                    arguments: [enrollment])
            }
            if let sendID = change.reviveSend {
                let send = try requireSend(sendID, db)
                try db.execute(
                    sql: """
                        UPDATE planned_sends SET state = 'planned', next_attempt_at = ?, reason = ?, reason_kind = NULL, updated_at = ?
                        WHERE id = ? AND state IN ('failed', 'cancelled')
                        """,
                    arguments: [Milliseconds.from(change.resumeAt), change.detail, now, sendID])
                try appendLog(
                    SendLogEntry(
                        at: at, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
                        messageID: send.messageID, state: .planned, attempt: 0, detail: change.detail,
                        recipientDomain: send.leadEmail.domain), db)
            }
            for entry in change.audit { try appendAudit(entry, db) }
        }
    }
}
