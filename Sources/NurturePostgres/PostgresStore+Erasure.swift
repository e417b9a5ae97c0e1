#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        package func eraseLead(_ email: EmailAddress, keying: AddressKeying, at: Date) async throws(StoreError)
            -> Erasure?
        {
            let address = email.description
            let lower = address.lowercased()
            let pseudonym = keying.pseudonym(for: email)
            let replacement = pseudonym.description
            let key = keying.suppressionKey(for: email)
            let now = Milliseconds.from(at)
            return try await transaction("erasing lead \(email)") { connection -> Erasure? in
                let exists = try await count(
                    "SELECT count(*) FROM (SELECT 1 FROM leads WHERE lower(email) = \(lower) FOR UPDATE) AS lead",
                    on: connection)
                guard exists > 0 else { return nil }
                let active = try await fetchOne(
                    """
                    SELECT sequence FROM enrollments WHERE lower(lead_email) = \(lower) AND ended_at IS NULL
                    FOR UPDATE
                    """, on: connection, table: "enrollments", { row throws(StoreError) in try row.text("sequence") })
                let cancelled = try await execute(
                    """
                    UPDATE planned_sends SET state = 'cancelled', reason = 'the lead was erased', reason_kind = NULL,
                        updated_at = \(now)
                    WHERE lower(lead_email) = \(lower) AND state IN \(unescaped: PostgresSchema.waitingStates)
                    RETURNING 1
                    """, on: connection)
                let inFlight = try await count(
                    "SELECT count(*) FROM planned_sends WHERE lower(lead_email) = \(lower) AND state = 'in-flight'",
                    on: connection)
                try await execute(
                    """
                    UPDATE enrollments SET ended_at = \(now), end_reason = 'erased'
                    WHERE lower(lead_email) = \(lower) AND ended_at IS NULL
                    """, on: connection)
                // SMTP replies and details can quote the address ("250 2.1.5 <ana@example.com> ok"): drop those.
                for (table, columns) in [
                    ("planned_sends", ["last_reply", "reason"]), ("send_log", ["reply", "detail"]),
                ] {
                    for column in columns {
                        try await execute(
                            """
                            UPDATE \(unescaped: table) SET \(unescaped: column) = NULL
                            WHERE lower(lead_email) = \(lower) AND strpos(lower(\(unescaped: column)), \(lower)) > 0
                            """, on: connection)
                    }
                    try await execute(
                        "UPDATE \(unescaped: table) SET lead_email = \(replacement) WHERE lower(lead_email) = \(lower)",
                        on: connection)
                }
                try await execute(
                    "UPDATE enrollments SET lead_email = \(replacement) WHERE lower(lead_email) = \(lower)",
                    on: connection)
                try await eraseInbound(lower, replacement: replacement, on: connection)
                try await execute("DELETE FROM lead_audit WHERE lower(lead_email) = \(lower)", on: connection)
                try await execute("DELETE FROM unsubscribe_tokens WHERE lower(lead_email) = \(lower)", on: connection)
                try await execute("DELETE FROM leads WHERE lower(email) = \(lower)", on: connection)
                try await insertSuppressions([(key, "erased")], at: now, on: connection)
                let erased = LeadAuditEntry(
                    at: at, leadEmail: pseudonym, kind: "erased",
                    detail: "personal data erased; the address is kept only as a suppression hash and is never mailed"
                        + " again")
                try await insertAudit([erased], on: connection)
                return Erasure(
                    pseudonym: pseudonym, endedSequence: active, cancelledSends: cancelled,
                    sendsInFlight: inFlight)
            }
        }

        /// The lead's processed incoming messages, attributed to it or sent from its address: an attribution to it
        /// becomes the pseudonym (a message from its address tied to another lead stays theirs), the sender and
        /// subject are dropped, and evidence or an action quoting the address is replaced.
        private func eraseInbound(_ lower: String, replacement: String, on connection: PostgresConnection) async throws
        {
            try await execute(
                """
                UPDATE inbound_messages SET from_address = NULL, subject = NULL,
                    evidence = CASE WHEN strpos(lower(evidence), \(lower)) > 0 THEN 'erased' ELSE evidence END,
                    action = CASE WHEN strpos(lower(action), \(lower)) > 0 THEN 'erased' ELSE action END,
                    lead_email = CASE WHEN lower(lead_email) = \(lower) THEN \(replacement) ELSE lead_email END
                WHERE lower(lead_email) = \(lower) OR lower(from_address) = \(lower)
                """, on: connection)
        }
    }

#endif
