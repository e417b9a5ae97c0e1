#if PostgreSQL
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// Audit entries per statement (four arrays bound, so the count is not limited by bind parameters).
        private static let auditPerStatement = 10_000

        package func appendAudit(_ entry: LeadAuditEntry) async throws(StoreError) {
            try await transaction("appending to the audit trail of \(entry.leadEmail)") { connection in
                try await insertAudit([entry], on: connection)
            }
        }

        /// Appends `entries` in their order (ids ascending), ten thousand per statement.
        func insertAudit(_ entries: [LeadAuditEntry], on connection: PostgresConnection) async throws {
            for start in stride(from: 0, to: entries.count, by: Self.auditPerStatement) {
                let run = entries[start..<min(start + Self.auditPerStatement, entries.count)]
                let times = run.map { Milliseconds.from($0.at) }
                let emails = run.map(\.leadEmail.description)
                let kinds = run.map(\.kind)
                let details = run.map(\.detail)
                try await execute(
                    """
                    INSERT INTO lead_audit (at, lead_email, kind, detail)
                    SELECT at, lead_email, kind, detail
                    FROM unnest(\(times)::bigint[], \(emails)::text[], \(kinds)::text[], \(details)::text[])
                        WITH ORDINALITY AS entry(at, lead_email, kind, detail, position)
                    ORDER BY position
                    """, on: connection)
            }
        }

        /// The lead's audit trail ordered by time, entries with the same time in the order appended.
        package func audit(for email: EmailAddress) async throws(StoreError) -> [LeadAuditEntry] {
            try await read("reading the audit trail of \(email)") { connection in
                try await fetch(
                    "SELECT * FROM lead_audit WHERE lower(lead_email) = lower(\(email.description)) ORDER BY at, id",
                    on: connection, table: "lead_audit"
                ) { row throws(StoreError) in try row.auditEntry() }
            }
        }
    }
#endif
