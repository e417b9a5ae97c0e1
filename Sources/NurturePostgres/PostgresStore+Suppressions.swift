#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// Suppressing an address twice keeps the first reason and time.
        package func suppress(_ key: SuppressionKey, reason: String, at: Date) async throws(StoreError) {
            try await transaction("suppressing an address") { connection in
                try await insertSuppressions([(key, reason)], at: Milliseconds.from(at), on: connection)
            }
        }

        /// Adds each key's written hash to the suppression list unless it is there (the first reason wins).
        func insertSuppressions(
            _ entries: [(key: SuppressionKey, reason: String)], at: Int64, on connection: PostgresConnection
        ) async throws {
            guard !entries.isEmpty else { return }
            let hashes = entries.map { $0.key.written.lowercased() }
            let reasons = entries.map(\.reason)
            try await execute(
                """
                INSERT INTO suppressions (address_hash, reason, at)
                SELECT hash, reason, \(at) FROM unnest(\(hashes)::text[], \(reasons)::text[])
                    WITH ORDINALITY AS entry(hash, reason, position)
                ORDER BY position
                ON CONFLICT (address_hash) DO NOTHING
                """, on: connection)
        }

        /// Whether any accepted form of `key` (keyed, legacy unkeyed) is on the list.
        func isSuppressed(_ key: SuppressionKey, on connection: PostgresConnection) async throws -> Bool {
            let forms = key.accepted.map { $0.lowercased() }
            guard !forms.isEmpty else { return false }
            return try await count(
                "SELECT count(*) FROM suppressions WHERE address_hash = ANY(\(forms))", on: connection) > 0
        }

        package func suppressionReason(_ key: SuppressionKey) async throws(StoreError) -> String? {
            try await read("checking suppressions") { connection in
                for hash in key.accepted {
                    let reason = try await fetchOne(
                        "SELECT reason FROM suppressions WHERE address_hash = \(hash.lowercased())", on: connection,
                        table: "suppressions"
                    ) { row throws(StoreError) in try row.text("reason") }
                    if let reason { return reason }
                }
                return nil
            }
        }

        package func unsuppress(_ change: Unsuppression, at: Date) async throws(StoreError) {
            let email = change.lead.email
            let now = Milliseconds.from(at)
            try await transaction("unsuppressing \(email)") { connection in
                try await execute(
                    "UPDATE leads SET bounced = 0, updated_at = \(now) WHERE lower(email) = lower(\(email.description))",
                    on: connection)
                let hashes = change.suppressionKey.accepted.map { $0.lowercased() }
                try await execute("DELETE FROM suppressions WHERE address_hash = ANY(\(hashes))", on: connection)
                if let enrollment = change.reopenEnrollment {
                    // Re-opened with needs_plan set; reviving its last send below clears it again (trigger).
                    try await execute(
                        """
                        UPDATE enrollments SET ended_at = NULL, end_reason = NULL, needs_plan = 1
                        WHERE id = \(enrollment) AND ended_at IS NOT NULL
                        """, on: connection)
                }
                if let sendID = change.reviveSend {
                    try await revive(sendID, at: change.resumeAt, detail: change.detail, now: now, on: connection)
                }
                try await insertAudit(change.audit, on: connection)
            }
        }

        /// Moves failed or cancelled send `id` back to `planned` at `resumeAt`, with a `planned` log line.
        private func revive(
            _ id: Int64, at resumeAt: Date, detail: String, now: Int64, on connection: PostgresConnection
        ) async throws {
            let exists = try await count("SELECT count(*) FROM planned_sends WHERE id = \(id)", on: connection)
            guard exists > 0 else { throw StoreError(.notFound, "\(settings): send \(id) does not exist") }
            try await execute(
                """
                UPDATE planned_sends SET state = 'planned', next_attempt_at = \(Milliseconds.from(resumeAt)),
                    reason = \(detail), reason_kind = NULL, updated_at = \(now)
                WHERE id = \(id) AND state IN ('failed', 'cancelled')
                """, on: connection)
            try await execute(
                """
                INSERT INTO send_log (
                    at, send_id, lead_email, sequence, step, message_id, state, attempt, detail, recipient_domain
                )
                SELECT \(now), id, lead_email, sequence, step, message_id, 'planned', 0, \(detail),
                    \(unescaped: Self.recipientDomainSQL)
                FROM planned_sends WHERE id = \(id)
                """, on: connection)
        }

        /// The domain of `lead_email` as the send log keeps it (after the last `@`, lowercased).
        static let recipientDomainSQL = "lower(substring(lead_email from '[^@]*$'))"
    }
#endif
