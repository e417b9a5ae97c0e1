#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// Appends `entry` to the send log inside the caller's transaction (its `id` is ignored; the database
        /// assigns the next one).
        ///
        /// A lead erased while this send was in flight: the ledger row already carries the pseudonym, and so must
        /// its log line; the reply and detail may quote the address, so they are dropped.
        func appendLog(_ entry: SendLogEntry, on connection: PostgresConnection) async throws {
            var entry = entry
            let rows = try await connection.query(
                "SELECT lead_email FROM planned_sends WHERE id = \(entry.sendID)", logger: logger)
            for try await (stored) in rows.decode(String.self) {
                if stored.lowercased() != entry.leadEmail.description.lowercased(),
                    let pseudonym = try? EmailAddress(stored)
                {
                    entry.leadEmail = pseudonym
                    entry.reply = nil
                    entry.detail = nil
                }
            }
            try await connection.query(
                """
                INSERT INTO send_log (
                    at, send_id, lead_email, sequence, step, message_id, state, attempt, code, reply, detail, sender,
                    recipient_domain, started_at, reason_kind
                ) VALUES (
                    \(Milliseconds.from(entry.at)), \(entry.sendID), \(entry.leadEmail.description), \(entry.sequence),
                    \(entry.step), \(entry.messageID), \(entry.state.rawValue), \(entry.attempt), \(entry.code),
                    \(entry.reply), \(entry.detail), \(entry.sender), \(entry.recipientDomain.lowercased()),
                    \(entry.startedAt.map(Milliseconds.from)), \(entry.reasonKind?.rawValue)
                )
                """, logger: logger)
        }

        package func log(_ filter: SendLogFilter) async throws(StoreError) -> [SendLogEntry] {
            if let limit = filter.limit, limit <= 0 { return [] }
            var conditions: [String] = []
            var binds = PostgresBindings()
            if let email = filter.leadEmail {
                binds.append(email.description)
                conditions.append("lower(lead_email) = lower($\(binds.count))")
            }
            if let sequence = filter.sequence {
                binds.append(sequence)
                conditions.append("sequence = $\(binds.count)")
            }
            if let state = filter.state {
                binds.append(state.rawValue)
                conditions.append("state = $\(binds.count)")
            }
            if let since = filter.since {
                binds.append(Milliseconds.from(since))
                conditions.append("at >= $\(binds.count)")
            }
            if let afterID = filter.afterID {
                binds.append(afterID)
                conditions.append("id > $\(binds.count)")
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            var sql = "SELECT * FROM send_log \(whereClause) ORDER BY id"
            if let limit = filter.limit {
                binds.append(limit)
                sql = """
                    SELECT * FROM (SELECT * FROM send_log \(whereClause) ORDER BY id DESC LIMIT $\(binds.count)) AS newest
                    ORDER BY id
                    """
            }
            // Only placeholders are written into the text; every value is a bind parameter.
            let query = PostgresQuery(unsafeSQL: sql, binds: binds)
            return try await read("reading the send log") { connection in
                var entries: [SendLogEntry] = []
                for try await row in try await connection.query(query, logger: logger) {
                    entries.append(try PostgresStoredRow(row, table: "send_log", database: "\(settings)").logEntry())
                }
                return entries
            }
        }

        /// The `WHERE` clause of the rate counts (state, sender, domain, then the time range, as the rate indexes
        /// are ordered). Both `sent` and `unknown` lines count (``SendState/countsTowardRateLimits``): an unknown
        /// send may have reached the relay.
        static func sentFilter(_ query: RateQuery) -> PostgresQuery {
            let states = SendState.rateLimited.map(\.rawValue)
            return """
                FROM send_log WHERE state = ANY(\(states))
                    AND (\(query.sender)::TEXT IS NULL OR sender = \(query.sender))
                    AND (\(query.recipientDomain?.lowercased())::TEXT IS NULL
                        OR recipient_domain = \(query.recipientDomain?.lowercased()))
                    AND at >= \(Milliseconds.from(query.since))
                """
        }

        package func sentCount(_ query: RateQuery) async throws(StoreError) -> Int {
            var sql = Self.sentFilter(query)
            sql.sql = "SELECT COUNT(*) " + sql.sql
            let statement = sql
            return try await read("counting sent mail") { connection in
                var count = 0
                for try await value in try await connection.query(statement, logger: logger).decode(Int.self) {
                    count = value
                }
                return count
            }
        }

        package func sentTimes(_ query: RateQuery) async throws(StoreError) -> [Date] {
            var sql = Self.sentFilter(query)
            sql.sql = "SELECT at " + sql.sql + " ORDER BY at"
            let statement = sql
            return try await read("reading the times of sent mail") { connection in
                var times: [Date] = []
                for try await value in try await connection.query(statement, logger: logger).decode(Int64.self) {
                    times.append(Milliseconds.date(value))
                }
                return times
            }
        }
    }
#endif
