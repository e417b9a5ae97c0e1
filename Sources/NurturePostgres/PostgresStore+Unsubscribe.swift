#if PostgreSQL
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// Records that mail to `email` carries `token` (kept if it was already issued); the ledger's `planAll` calls
        /// it for each send planned with an unsubscribe token.
        func registerUnsubscribeToken(
            _ token: String, for email: EmailAddress, at: Int64, on connection: PostgresConnection
        ) async throws {
            try await execute(
                """
                INSERT INTO unsubscribe_tokens (token, lead_email, issued_at) VALUES (\(token), \(email.description), \(at))
                ON CONFLICT (token) DO NOTHING
                """, on: connection)
        }

        package func lead(unsubscribeToken token: String) async throws(StoreError) -> Lead? {
            try await read("resolving an unsubscribe link") { connection in
                try await fetchOne(
                    """
                    SELECT leads.* FROM unsubscribe_tokens
                    JOIN leads ON lower(leads.email) = lower(unsubscribe_tokens.lead_email)
                    WHERE unsubscribe_tokens.token = \(token)
                    """, on: connection, table: "leads", { row throws(StoreError) in try row.lead() })
            }
        }
    }
#endif
