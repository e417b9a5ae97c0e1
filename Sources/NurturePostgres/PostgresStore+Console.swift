#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    /// The operator console's reads (``ConsoleQueries``), as the SQLite store answers them. The send log is read a
    /// page at a time by descending id, or due time and id for a date range (keyset), with every value bound; the
    /// indexes are `PostgresSchema.v3Console` and `v4ConsoleScale`.
    extension PostgresStore: ConsoleQueries {
        package func sendPage(_ query: SendQuery) async throws(StoreError) -> [SendPageRow] {
            guard query.limit > 0 else { return [] }
            return try await read("reading the send log for the console") { connection in
                try await fetch(try Self.sendPageStatement(query), on: connection, table: "planned_sends") {
                    row throws(StoreError) in
                    SendPageRow(send: try row.plannedSend(), sender: try row.optionalText("console_sender"))
                }
            }
        }

        /// The send-log page's statement: each condition is fixed text with a numbered placeholder, and only the
        /// values are bound.
        static func sendPageStatement(_ query: SendQuery) throws -> PostgresQuery {
            var binds = PostgresBindings()
            var conditions: [String] = []
            func add(_ condition: (Int) -> String, _ value: some PostgresThrowingDynamicTypeEncodable) throws {
                try binds.append(value)
                conditions.append(condition(binds.count))
            }
            if let prefix = query.leadPrefix, !prefix.isEmpty {
                // Byte order ("C") on the lowercased address: a plain range answered by planned_sends_by_lead_prefix.
                try add({ "lower(p.lead_email) COLLATE \"C\" >= $\($0)" }, prefix.lowercased())
                try add({ "lower(p.lead_email) COLLATE \"C\" < $\($0)" }, SendQuery.prefixUpperBound(prefix))
            }
            if let sequence = query.sequence { try add({ "p.sequence = $\($0)" }, sequence) }
            if let step = query.step { try add({ "p.step = $\($0)" }, step) }
            if let state = query.state { try add({ "p.state = $\($0)" }, state.rawValue) }
            if let track = query.track { try add({ "p.track = $\($0)" }, track.rawValue) }
            if let sender = query.sender {
                try add({ "EXISTS (SELECT 1 FROM send_log l WHERE l.send_id = p.id AND l.sender = $\($0))" }, sender)
            }
            if let from = query.from { try add({ "p.due_at >= $\($0)" }, Milliseconds.from(from)) }
            if let to = query.to { try add({ "p.due_at < $\($0)" }, Milliseconds.from(to)) }
            if query.ordersByDue, let after = query.after, let due = query.afterDue {
                binds.append(Milliseconds.from(due))
                binds.append(after)
                conditions.append("(p.due_at, p.id) < ($\(binds.count - 1), $\(binds.count))")
            } else if let after = query.after {
                try add({ "p.id < $\($0)" }, after)
            }
            binds.append(Int64(query.limit))
            let order = query.ordersByDue ? "p.due_at DESC, p.id DESC" : "p.id DESC"
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let sql = """
                SELECT p.*, (
                    SELECT l.sender FROM send_log l WHERE l.send_id = p.id AND l.sender IS NOT NULL
                    ORDER BY l.id DESC LIMIT 1
                ) AS console_sender
                FROM planned_sends p \(whereClause) ORDER BY \(order) LIMIT $\(binds.count)
                """
            return PostgresQuery(unsafeSQL: sql, binds: binds)
        }

        package func sendLog(send id: Int64) async throws(StoreError) -> [SendLogEntry] {
            try await read("reading the send log of send \(id)") { connection in
                try await fetch(
                    "SELECT * FROM send_log WHERE send_id = \(id) ORDER BY id", on: connection, table: "send_log"
                ) { row throws(StoreError) in try row.logEntry() }
            }
        }

        package func inbound(send id: Int64) async throws(StoreError) -> [InboundRecord] {
            try await read("reading the incoming messages of send \(id)") { connection in
                try await fetch(
                    "SELECT * FROM inbound_messages WHERE send_id = \(id) ORDER BY id", on: connection,
                    table: "inbound_messages"
                ) { row throws(StoreError) in try row.inboundRecord() }
            }
        }

        package func resolveUnknown(
            _ id: Int64, update: SendUpdate, log: SendLogEntry, at: Date
        ) async throws(StoreError) -> Bool {
            let next = update.state.isWaiting ? update.nextAttemptAt.map(Milliseconds.from) : nil
            return try await transaction("resolving the unknown outcome of send \(id)") { connection in
                let changed = try await execute(
                    """
                    UPDATE planned_sends SET state = \(update.state.rawValue),
                        next_attempt_at = coalesce(\(next), next_attempt_at), reason = \(update.reason),
                        reason_kind = \(update.reasonKind?.rawValue), updated_at = \(Milliseconds.from(at)),
                        owner = NULL, lease_until = NULL
                    WHERE id = \(id) AND state = 'unknown'
                    RETURNING 1
                    """, on: connection)
                guard changed == 1 else { return false }
                var entry = log
                entry.sendID = id
                try await appendLog(entry, on: connection)
                return true
            }
        }

        /// From the counts the triggers keep, with the changes not folded yet: a few rows per step.
        package func funnel(sequence: String) async throws(StoreError) -> [FunnelCount] {
            var binds = PostgresBindings()
            binds.append(sequence)
            let query = PostgresQuery(
                unsafeSQL: """
                    SELECT step, step_number, state, reason_kind, sum(n)::BIGINT AS n FROM \(PostgresSchema.sendCountsNow)
                    WHERE sequence = $1 GROUP BY step_number, step, state, reason_kind HAVING sum(n) <> 0
                    ORDER BY step_number, step, state, reason_kind
                    """, binds: binds)
            return try await read("counting the funnel of `\(sequence)`") { connection in
                try await fetch(query, on: connection, table: "send_counts") { row throws(StoreError) in
                    FunnelCount(
                        step: try row.text("step"), stepNumber: try row.int("step_number"),
                        state: try row.value("state", as: SendState.self),
                        reasonKind: ReasonKind(rawValue: try row.text("reason_kind")),
                        count: try row.int("n"))
                }
            }
        }

        package func replies(sequence: String) async throws(StoreError) -> [String: Int] {
            let pairs = try await read("counting the replies to `\(sequence)`") { connection in
                try await fetch(
                    """
                    SELECT p.step AS step, count(*) AS n FROM inbound_messages i
                    JOIN planned_sends p ON p.id = i.send_id
                    WHERE i.kind = \(InboundKind.reply.rawValue) AND p.sequence = \(sequence) GROUP BY p.step
                    """, on: connection, table: "inbound_messages"
                ) { row throws(StoreError) in (try row.text("step"), try row.int("n")) }
            }
            return Dictionary(pairs, uniquingKeysWith: +)
        }

        package func missed(sequence: String, step: String, limit: Int) async throws(StoreError) -> [PlannedSend] {
            try await read("reading the unsent rows of `\(sequence)`/`\(step)`") { connection in
                try await plannedSends(
                    """
                    SELECT * FROM planned_sends WHERE sequence = \(sequence) AND step = \(step)
                    AND state IN ('held', 'skipped', 'cancelled', 'failed', 'unknown') ORDER BY id DESC
                    LIMIT \(Int64(limit))
                    """, on: connection)
            }
        }

        package func endedEnrollments(
            sequence: String, limit: Int
        ) async throws(StoreError) -> [EndedEnrollment] {
            try await read("reading the enrollments of `\(sequence)` that ended") { connection in
                try await fetch(
                    """
                    SELECT e.*, (
                        SELECT max(p.step_number) FROM planned_sends p WHERE p.enrollment_id = e.id
                    ) AS planned_through
                    FROM enrollments e WHERE e.sequence = \(sequence) AND e.ended_at IS NOT NULL
                    ORDER BY e.id DESC LIMIT \(Int64(limit))
                    """, on: connection, table: "enrollments"
                ) { row throws(StoreError) in
                    EndedEnrollment(
                        enrollment: try row.enrollment(), plannedThrough: try row.optionalInt("planned_through") ?? 0)
                }
            }
        }

        package func hourlyAttempts(
            since: Date, marketingSender: String
        ) async throws(StoreError) -> [HourlyCount] {
            try await read("counting sends per hour") { connection in
                // From send_log_console_chart alone; the ledger is read only for a line without a From address.
                try await fetch(
                    """
                    SELECT (at / 3600000) * 3600000 AS hour,
                        CASE WHEN sender = \(marketingSender) THEN 'marketing'
                            WHEN sender IS NULL THEN (SELECT p.track FROM planned_sends p WHERE p.id = send_id)
                            ELSE 'sales' END AS track,
                        state, count(*) AS n
                    FROM send_log WHERE state IN ('sent', 'deferred', 'failed', 'unknown')
                        AND at >= \(Milliseconds.from(since))
                    GROUP BY 1, 2, 3 ORDER BY 1
                    """, on: connection, table: "send_log"
                ) { row throws(StoreError) in
                    HourlyCount(
                        hour: try row.date("hour"), track: try row.value("track", as: Track.self),
                        state: try row.value("state", as: SendState.self), count: try row.int("n"))
                }
            }
        }
    }
#endif
