package import Foundation
internal import GRDB
package import NurtureCore

/// The operator console's reads (``ConsoleQueries``). Every query is bounded: the send log is read a page at a time
/// by descending id, or due time and id for a date range (keyset, never `OFFSET`), with the filters on indexed
/// columns (`Schema.v7Console`, `Schema.v8ConsoleScale`).
extension SQLiteStore: ConsoleQueries {
    package func sendPage(_ query: SendQuery) async throws(StoreError) -> [SendPageRow] {
        guard query.limit > 0 else { return [] }
        let (sql, values) = Self.sendPageSQL(query)
        return try await read("reading the send log for the console") { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map { row in
                SendPageRow(send: try stored(row, "planned_sends").plannedSend(), sender: row["console_sender"])
            }
        }
    }

    /// The send-log page's statement and its arguments: every filter is a fixed condition with a bound value.
    static func sendPageSQL(_ query: SendQuery) -> (sql: String, arguments: [DatabaseValue]) {
        var conditions: [String] = []
        var arguments: [DatabaseValue] = []
        func add(_ condition: String, _ values: (any DatabaseValueConvertible)...) {
            conditions.append(condition)
            arguments.append(contentsOf: values.map(\.databaseValue))
        }
        if let prefix = query.leadPrefix, !prefix.isEmpty {
            // `lead_email` is COLLATE NOCASE, so the range is case-insensitive and uses planned_sends_by_lead.
            add("p.lead_email >= ? AND p.lead_email < ?", prefix.lowercased(), SendQuery.prefixUpperBound(prefix))
        }
        // With a date range (and no lead prefix) the due-time index drives: the page is read in its order, the
        // other filters checked row by row (`+` keeps SQLite from choosing their indexes, which would sort every
        // match of the filter, all dates, to show 50).
        let column = query.ordersByDue && (query.leadPrefix ?? "").isEmpty ? "+p." : "p."
        if let sequence = query.sequence { add("\(column)sequence = ?", sequence) }
        if let step = query.step { add("\(column)step = ?", step) }
        if let state = query.state { add("\(column)state = ?", state.rawValue) }
        if let track = query.track { add("\(column)track = ?", track.rawValue) }
        if let sender = query.sender {
            add("EXISTS (SELECT 1 FROM send_log l WHERE l.send_id = p.id AND l.sender = ?)", sender)
        }
        if let from = query.from { add("p.due_at >= ?", Milliseconds.from(from)) }
        if let to = query.to { add("p.due_at < ?", Milliseconds.from(to)) }
        if query.ordersByDue, let after = query.after, let due = query.afterDue {
            add("(p.due_at, p.id) < (?, ?)", Milliseconds.from(due), after)
        } else if let after = query.after {
            // With a lead prefix its index drives (a prefix matches few rows); left to itself, with the values bound,
            // SQLite walks the whole ledger down from `after` by id.
            add((query.leadPrefix ?? "").isEmpty ? "p.id < ?" : "+p.id < ?", after)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = query.ordersByDue ? "p.due_at DESC, p.id DESC" : "p.id DESC"
        let sql = """
            SELECT p.*, (
                SELECT l.sender FROM send_log l WHERE l.send_id = p.id AND l.sender IS NOT NULL
                ORDER BY l.id DESC LIMIT 1
            ) AS console_sender
            FROM planned_sends p \(whereClause) ORDER BY \(order) LIMIT ?
            """
        arguments.append(query.limit.databaseValue)
        return (sql, arguments)
    }

    package func sendLog(send id: Int64) async throws(StoreError) -> [SendLogEntry] {
        try await read("reading the send log of send \(id)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM send_log WHERE send_id = ? ORDER BY id", arguments: [id])
                .map { row in try stored(row, "send_log").logEntry() }
        }
    }

    package func inbound(send id: Int64) async throws(StoreError) -> [InboundRecord] {
        try await read("reading the incoming messages of send \(id)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM inbound_messages WHERE send_id = ? ORDER BY id", arguments: [id])
                .map { row in try stored(row, "inbound_messages").inboundRecord() }
        }
    }

    package func resolveUnknown(
        _ id: Int64, update: SendUpdate, log: SendLogEntry, at: Date
    ) async throws(StoreError) -> Bool {
        try await write("resolving the unknown outcome of send \(id)") { db in
            try db.execute(
                sql: """
                    UPDATE planned_sends SET state = ?, next_attempt_at = coalesce(?, next_attempt_at), reason = ?,
                        reason_kind = ?, updated_at = ?
                    WHERE id = ? AND state = 'unknown'
                    """,
                arguments: [
                    update.state.rawValue, update.state.isWaiting ? update.nextAttemptAt.map(Milliseconds.from) : nil,
                    update.reason, update.reasonKind?.rawValue, Milliseconds.from(at), id,
                ])
            guard db.changesCount == 1 else { return false }
            var entry = log
            entry.sendID = id
            try appendLog(entry, db)
            return true
        }
    }

    /// From the counts the triggers keep (`send_counts`): a few rows per step, however long the ledger.
    package func funnel(sequence: String) async throws(StoreError) -> [FunnelCount] {
        try await read("counting the funnel of `\(sequence)`") { db in
            try Row.fetchAll(db, sql: Self.funnelSQL, arguments: [sequence]).map { row in
                let table = stored(row, "send_counts")
                let kind: String = row["reason_kind"]
                return FunnelCount(
                    step: try table.text("step"), stepNumber: try table.int("step_number"),
                    state: try table.value("state", as: SendState.self),
                    reasonKind: ReasonKind(rawValue: kind),
                    count: row["n"])
            }
        }
    }

    /// A sequence's counts by step, state and reason kind, read from `send_counts` by its key.
    static let funnelSQL = """
        SELECT step, step_number, state, reason_kind, n FROM send_counts
        WHERE sequence = ? AND n <> 0 ORDER BY step_number, step, state, reason_kind
        """

    package func replies(sequence: String) async throws(StoreError) -> [String: Int] {
        try await read("counting the replies to `\(sequence)`") { db in
            let rows = try Row.fetchAll(
                db, sql: Self.repliesSQL, arguments: [InboundKind.reply.rawValue, sequence])
            return Dictionary(rows.map { ($0["step"] as String, $0["n"] as Int) }, uniquingKeysWith: +)
        }
    }

    /// Replies counted by step: every reply (`inbound_messages_by_kind_send`), each probed for its send's sequence.
    /// `CROSS JOIN` keeps that order: left to itself SQLite walks every row of the sequence (millions) to find the
    /// few that were replied to. The cost grows with the replies, not the sends.
    static let repliesSQL = """
        SELECT p.step AS step, count(*) AS n FROM inbound_messages i
        CROSS JOIN planned_sends p ON p.id = i.send_id
        WHERE i.kind = ? AND p.sequence = ? GROUP BY p.step
        """

    package func missed(sequence: String, step: String, limit: Int) async throws(StoreError) -> [PlannedSend] {
        try await read("reading the unsent rows of `\(sequence)`/`\(step)`") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM planned_sends WHERE sequence = ? AND step = ?
                    AND state IN ('held', 'skipped', 'cancelled', 'failed', 'unknown') ORDER BY id DESC LIMIT ?
                    """, arguments: [sequence, step, limit]
            ).map { row in try stored(row, "planned_sends").plannedSend() }
        }
    }

    package func endedEnrollments(sequence: String, limit: Int) async throws(StoreError) -> [EndedEnrollment] {
        try await read("reading the enrollments of `\(sequence)` that ended") { db in
            try Row.fetchAll(db, sql: Self.endedEnrollmentsSQL, arguments: [sequence, limit]).map { row in
                EndedEnrollment(
                    enrollment: try stored(row, "enrollments").enrollment(),
                    plannedThrough: row["planned_through"] ?? 0)
            }
        }
    }

    /// The most recently ended enrollments of a sequence (`enrollments_ended_by_sequence`), each with the highest
    /// step number of its ledger rows (`UNIQUE (enrollment_id, step)`).
    static let endedEnrollmentsSQL = """
        SELECT e.*, (SELECT max(p.step_number) FROM planned_sends p WHERE p.enrollment_id = e.id) AS planned_through
        FROM enrollments e WHERE e.sequence = ? AND e.ended_at IS NOT NULL ORDER BY e.id DESC LIMIT ?
        """

    package func hourlyAttempts(since: Date, marketingSender: String) async throws(StoreError) -> [HourlyCount] {
        try await read("counting sends per hour") { db in
            try Row.fetchAll(
                db, sql: Self.hourlyAttemptsSQL, arguments: [marketingSender, Milliseconds.from(since)]
            ).map { row in
                let table = stored(row, "send_log")
                return HourlyCount(
                    hour: Milliseconds.date(row["hour"]), track: try table.value("track", as: Track.self),
                    state: try table.value("state", as: SendState.self), count: row["n"])
            }
        }
    }

    /// Attempts per hour, track and state, from `send_log_console_chart` alone: the track is the From address's
    /// (the marketing sender's, or a salesperson's); only a line without one reads its send's track.
    static let hourlyAttemptsSQL = """
        SELECT (at / 3600000) * 3600000 AS hour,
            CASE WHEN sender = ? THEN 'marketing'
                WHEN sender IS NULL THEN (SELECT p.track FROM planned_sends p WHERE p.id = send_id)
                ELSE 'sales' END AS track,
            state, count(*) AS n
        FROM send_log WHERE state IN ('sent', 'deferred', 'failed', 'unknown') AND at >= ?
        GROUP BY 1, 2, 3 ORDER BY 1
        """
}
