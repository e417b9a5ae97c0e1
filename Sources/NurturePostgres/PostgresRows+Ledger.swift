#if PostgreSQL
    import Foundation
    import NurtureCore
    import PostgresNIO

    /// Dates in the ledger's columns: whole milliseconds since 1970 (UTC), as the SQLite store keeps them.
    enum LedgerTime {
        /// The stored form of `date`, rounded to the millisecond.
        static func from(_ date: Date) -> Int64 {
            let value = (date.timeIntervalSince1970 * 1000).rounded()
            guard value.isFinite else { return value < 0 ? Int64.min : Int64.max }
            return Int64(max(min(value, 9.2e18), -9.2e18))
        }

        /// The date for a stored value.
        static func date(_ milliseconds: Int64) -> Date {
            Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        }

        /// `date` plus `duration`, stored form (lease ends).
        static func from(_ date: Date, plus duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return from(date) + seconds * 1000 + attoseconds / 1_000_000_000_000_000
        }
    }

    /// Reads the columns of one ledger or send-log row without trusting them: a value of the wrong type, an
    /// unknown state or an invalid address becomes a ``StoreError`` naming the database, the table, the row and
    /// the column, never a crash.
    struct LedgerRow {
        let row: PostgresRandomAccessRow
        let table: String
        let database: String

        init(_ row: PostgresRow, table: String, database: String) {
            self.row = row.makeRandomAccess()
            self.table = table
            self.database = database
        }

        private func problem(_ column: String, _ what: String) -> StoreError {
            let id = (try? row["id"].decode(Int64.self)).map { "row \($0)" } ?? "a row"
            return StoreError(
                .corrupt,
                "\(database): \(id) of table \(table) has \(what) in column \(column);"
                    + " correct or delete the row with psql, or restore a backup")
        }

        func optional<T: PostgresDecodable>(_ column: String, as type: T.Type) throws(StoreError) -> T?
        where T._DecodableType == T {
            do {
                return try row[column].decode(T?.self)
            } catch {
                throw problem(column, "a value that is not a \(T.self)")
            }
        }

        func required<T: PostgresDecodable>(_ column: String, as type: T.Type) throws(StoreError) -> T
        where T._DecodableType == T {
            guard let value = try optional(column, as: T.self) else { throw problem(column, "no value") }
            return value
        }

        func text(_ column: String) throws(StoreError) -> String { try required(column, as: String.self) }
        func optionalText(_ column: String) throws(StoreError) -> String? { try optional(column, as: String.self) }
        func int64(_ column: String) throws(StoreError) -> Int64 { try required(column, as: Int64.self) }
        func int(_ column: String) throws(StoreError) -> Int { try required(column, as: Int.self) }
        func optionalInt(_ column: String) throws(StoreError) -> Int? { try optional(column, as: Int.self) }
        func date(_ column: String) throws(StoreError) -> Date { LedgerTime.date(try int64(column)) }

        func optionalDate(_ column: String) throws(StoreError) -> Date? {
            try optional(column, as: Int64.self).map(LedgerTime.date)
        }

        func email(_ column: String) throws(StoreError) -> EmailAddress {
            let value = try text(column)
            do {
                return try EmailAddress(value)
            } catch {
                throw problem(column, "an invalid address (\(error))")
            }
        }

        func value<T: RawRepresentable>(_ column: String, as type: T.Type) throws(StoreError) -> T
        where T.RawValue == String {
            let raw = try text(column)
            guard let value = T(rawValue: raw) else { throw problem(column, "an unknown value \"\(raw)\"") }
            return value
        }

        /// The ledger row in a `planned_sends` row.
        func plannedSend() throws(StoreError) -> PlannedSend {
            PlannedSend(
                id: try int64("id"), enrollmentID: try int64("enrollment_id"), leadEmail: try email("lead_email"),
                sequence: try text("sequence"), step: try text("step"), stepNumber: try int("step_number"),
                track: try value("track", as: Track.self), dueAt: try date("due_at"),
                nextAttemptAt: try date("next_attempt_at"), state: try value("state", as: SendState.self),
                attempts: try int("attempts"), messageID: try text("message_id"),
                lastCode: try optionalInt("last_code"), lastReply: try optionalText("last_reply"),
                reason: try optionalText("reason"),
                reasonKind: try optionalText("reason_kind").flatMap(ReasonKind.init(rawValue:)),
                createdAt: try date("created_at"), updatedAt: try date("updated_at"))
        }

        /// The line in a `send_log` row.
        func logEntry() throws(StoreError) -> SendLogEntry {
            SendLogEntry(
                id: try int64("id"), at: try date("at"), sendID: try int64("send_id"),
                leadEmail: try email("lead_email"), sequence: try text("sequence"), step: try text("step"),
                messageID: try text("message_id"), state: try value("state", as: SendState.self),
                attempt: try int("attempt"), code: try optionalInt("code"), reply: try optionalText("reply"),
                detail: try optionalText("detail"), sender: try optionalText("sender"),
                recipientDomain: try text("recipient_domain"), startedAt: try optionalDate("started_at"),
                reasonKind: try optionalText("reason_kind").flatMap(ReasonKind.init(rawValue:)))
        }
    }

    extension PostgresStore {
        /// The `planned_sends` rows of `query`, in the order the database returns them.
        func plannedSends(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PlannedSend] {
            var sends: [PlannedSend] = []
            for try await row in try await connection.query(query, logger: logger) {
                sends.append(try LedgerRow(row, table: "planned_sends", database: "\(settings)").plannedSend())
            }
            return sends
        }

        /// The one `planned_sends` row `id`, or `nil`.
        func plannedSend(_ id: Int64, locking: Bool, on connection: PostgresConnection) async throws -> PlannedSend? {
            let lock = locking ? " FOR UPDATE" : ""
            return try await plannedSends(
                "SELECT * FROM planned_sends WHERE id = \(id)\(unescaped: lock)", on: connection
            ).first
        }

        /// The row `id`, or a ``StoreError`` saying it does not exist.
        func requireSend(_ id: Int64, locking: Bool, on connection: PostgresConnection) async throws -> PlannedSend {
            guard let send = try await plannedSend(id, locking: locking, on: connection) else {
                throw StoreError(.notFound, "\(settings): send \(id) does not exist")
            }
            return send
        }
    }
#endif
