package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    /// Appends `entry` to the send log (its `id` is ignored; the store assigns the next one).
    func appendLog(_ entry: SendLogEntry, _ db: Database) throws {
        var entry = entry
        // A lead erased while this send was in flight: the ledger row already carries the pseudonym, and so
        // must its log line; the reply and detail may quote the address, so they are dropped.
        if let stored = try String.fetchOne(
            db.cachedStatement(sql: "SELECT lead_email FROM planned_sends WHERE id = ?"), arguments: [entry.sendID]),
            stored.lowercased() != entry.leadEmail.description.lowercased(),
            let pseudonym = try? EmailAddress(stored)
        {
            entry.leadEmail = pseudonym
            entry.reply = nil
            entry.detail = nil
        }
        let values: [(any DatabaseValueConvertible)?] = [
            Milliseconds.from(entry.at), entry.sendID, entry.leadEmail.description, entry.sequence, entry.step,
            entry.messageID, entry.state.rawValue, entry.attempt, entry.code, entry.reply, entry.detail, entry.sender,
            entry.recipientDomain.lowercased(), entry.startedAt.map(Milliseconds.from), entry.reasonKind?.rawValue,
        ]
        try db.cachedStatement(
            sql: """
                INSERT INTO send_log (
                    at, send_id, lead_email, sequence, step, message_id, state, attempt, code, reply, detail, sender,
                    recipient_domain, started_at, reason_kind
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: StatementArguments(values))
    }

    package func log(_ filter: SendLogFilter) async throws(StoreError) -> [SendLogEntry] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let email = filter.leadEmail {
            conditions.append("lead_email = ?")
            arguments.append(email.description)
        }
        if let sequence = filter.sequence {
            conditions.append("sequence = ?")
            arguments.append(sequence)
        }
        if let state = filter.state {
            conditions.append("state = ?")
            arguments.append(state.rawValue)
        }
        if let since = filter.since {
            conditions.append("at >= ?")
            arguments.append(Milliseconds.from(since))
        }
        if let afterID = filter.afterID {
            conditions.append("id > ?")
            arguments.append(afterID)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var sql = "SELECT * FROM send_log \(whereClause) ORDER BY id"
        if let limit = filter.limit {
            guard limit > 0 else { return [] }
            sql = "SELECT * FROM (SELECT * FROM send_log \(whereClause) ORDER BY id DESC LIMIT ?) ORDER BY id"
            arguments.append(limit)
        }
        let (query, values) = (sql, arguments.map { $0?.databaseValue ?? .null })
        return try await read("reading the send log") { db in
            try Row.fetchAll(db, sql: query, arguments: StatementArguments(values))
                .map { row in try stored(row, "send_log").logEntry() }
        }
    }

    /// The `WHERE` clause (state, sender, domain, then the time range, as the rate indexes are ordered) and
    /// its arguments for `query`. Both `sent` and `unknown` lines count (``SendState/countsTowardRateLimits``):
    /// an unknown send may have reached the relay.
    private static func sentFilter(_ query: RateQuery) -> (sql: String, arguments: [DatabaseValue]) {
        let states = SendState.rateLimited.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var sql = " FROM send_log WHERE state IN (\(states))"
        var arguments: [DatabaseValue] = []
        if let sender = query.sender {
            sql += " AND sender = ?"
            arguments.append(sender.databaseValue)
        }
        if let domain = query.recipientDomain {
            sql += " AND recipient_domain = ?"
            arguments.append(domain.lowercased().databaseValue)
        }
        sql += " AND at >= ?"
        arguments.append(Milliseconds.from(query.since).databaseValue)
        return (sql, arguments)
    }

    package func sentCount(_ query: RateQuery) async throws(StoreError) -> Int {
        let (filter, arguments) = Self.sentFilter(query)
        let sql = "SELECT COUNT(*)" + filter
        return try await read("counting sent mail") { db in
            try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
        }
    }

    package func sentTimes(_ query: RateQuery) async throws(StoreError) -> [Date] {
        let (filter, arguments) = Self.sentFilter(query)
        let sql = "SELECT at" + filter + " ORDER BY at"
        let times = try await read("reading the times of sent mail") { db in
            try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        }
        return times.map(Milliseconds.date)
    }
}
