package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    package func eraseLead(_ email: EmailAddress, keying: AddressKeying, at: Date) async throws(StoreError) -> Erasure?
    {
        let address = email.description
        let pseudonym = keying.pseudonym(for: email)
        let key = keying.suppressionKey(for: email)
        let now = Milliseconds.from(at)
        return try await write("erasing lead \(email)") { db -> Erasure? in
            guard try Int64.fetchOne(db, sql: "SELECT 1 FROM leads WHERE email = ?", arguments: [address]) != nil
            else { return nil }
            let active = try String.fetchOne(
                db, sql: "SELECT sequence FROM enrollments WHERE lead_email = ? AND ended_at IS NULL",
                arguments: [address])
            try db.execute(
                sql: """
                    UPDATE planned_sends SET state = 'cancelled', reason = 'the lead was erased', reason_kind = NULL, updated_at = ?
                    WHERE lead_email = ? AND state IN \(Schema.waitingStates)
                    """, arguments: [now, address])
            let cancelled = db.changesCount
            let inFlight =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM planned_sends WHERE lead_email = ? AND state = 'in-flight'",
                    arguments: [address]) ?? 0
            try db.execute(
                sql: """
                    UPDATE enrollments SET ended_at = ?, end_reason = 'erased'
                    WHERE lead_email = ? AND ended_at IS NULL
                    """, arguments: [now, address])
            let replacement = pseudonym.description
            // SMTP replies and details can quote the address ("250 2.1.5 <ana@example.com> ok"): drop those.
            for (table, columns) in [("planned_sends", ["last_reply", "reason"]), ("send_log", ["reply", "detail"])] {
                for column in columns {
                    try db.execute(
                        sql:
                            "UPDATE \(table) SET \(column) = NULL WHERE lead_email = ? AND instr(lower(\(column)), ?) > 0",
                        arguments: [address, address.lowercased()])
                }
                try db.execute(
                    sql: "UPDATE \(table) SET lead_email = ? WHERE lead_email = ?", arguments: [replacement, address])
            }
            try db.execute(
                sql: "UPDATE enrollments SET lead_email = ? WHERE lead_email = ?", arguments: [replacement, address])
            try eraseInbound(address, replacement: replacement, db)
            try db.execute(sql: "DELETE FROM lead_audit WHERE lead_email = ?", arguments: [address])
            try db.execute(sql: "DELETE FROM unsubscribe_tokens WHERE lead_email = ?", arguments: [address])
            try db.execute(sql: "DELETE FROM leads WHERE email = ?", arguments: [address])
            try suppress(key, reason: "erased", at: now, db)
            try db.execute(
                sql: "INSERT INTO lead_audit (at, lead_email, kind, detail) VALUES (?, ?, 'erased', ?)",
                arguments: [
                    now, replacement,
                    "personal data erased; the address is kept only as a suppression hash and is never mailed again",
                ])
            return Erasure(
                pseudonym: pseudonym, endedSequence: active, cancelledSends: cancelled, sendsInFlight: inFlight)
        }
    }

    /// The lead's processed incoming messages, attributed to it or sent from its address: an attribution to it
    /// becomes the pseudonym (a message from its address tied to another lead stays theirs), the sender and
    /// subject are dropped, and evidence or an action quoting the address is replaced.
    private func eraseInbound(_ address: String, replacement: String, _ db: Database) throws {
        let lower = address.lowercased()
        try db.execute(
            sql: """
                UPDATE inbound_messages SET from_address = NULL, subject = NULL,
                    evidence = CASE WHEN instr(lower(evidence), ?) > 0 THEN 'erased' ELSE evidence END,
                    action = CASE WHEN instr(lower(action), ?) > 0 THEN 'erased' ELSE action END,
                    lead_email = CASE WHEN lead_email = ? THEN ? ELSE lead_email END
                WHERE lead_email = ? OR lower(from_address) = ?
                """, arguments: [lower, lower, address, replacement, address, lower])
    }
}
