#if PostgreSQL
    import Foundation
    import NurtureCore
    import PostgresNIO

    /// Reads the columns of one row of the PostgreSQL store without trusting them.
    ///
    /// A value of the wrong type, an unknown enum name or an invalid address becomes a ``StoreError`` that names the
    /// database, the table, the row and the column, never a crash.
    struct PostgresStoredRow {
        let row: PostgresRandomAccessRow
        let table: String
        /// The database, as ``PostgresSettings/description`` names it (no password).
        let database: String

        init(_ row: PostgresRow, table: String, database: String) {
            self.row = row.makeRandomAccess()
            self.table = table
            self.database = database
        }

        /// The row's `id` (or `key`) for messages.
        private var rowName: String {
            for column in ["id", "key"] where row.contains(column) {
                if let value = try? row[column].decode(String.self) { return "row \(value)" }
                if let value = try? row[column].decode(Int64.self) { return "row \(value)" }
            }
            return "a row"
        }

        func problem(_ column: String, _ what: String) -> StoreError {
            StoreError(
                "\(database): \(rowName) of table \(table) has \(what) in column \(column); correct or delete the row"
                    + " with psql, or restore a backup")
        }

        /// Decodes `column` as `T` (an optional type for a nullable column).
        private func decode<T: PostgresDecodable>(_ column: String, as type: T.Type) throws(StoreError) -> T {
            guard row.contains(column) else { throw problem(column, "no such column") }
            do {
                return try row[column].decode(T.self)
            } catch {
                throw problem(column, "a value that is not \(T.self)")
            }
        }

        func text(_ column: String) throws(StoreError) -> String {
            guard let value = try optionalText(column) else { throw problem(column, "no value") }
            return value
        }

        func optionalText(_ column: String) throws(StoreError) -> String? {
            try decode(column, as: String?.self)
        }

        func int64(_ column: String) throws(StoreError) -> Int64 {
            guard let value = try optionalInt64(column) else { throw problem(column, "no value") }
            return value
        }

        func optionalInt64(_ column: String) throws(StoreError) -> Int64? {
            try decode(column, as: Int64?.self)
        }

        func int(_ column: String) throws(StoreError) -> Int {
            let value = try int64(column)
            guard let result = Int(exactly: value) else { throw problem(column, "an out-of-range number \(value)") }
            return result
        }

        func optionalInt(_ column: String) throws(StoreError) -> Int? {
            guard let value = try optionalInt64(column) else { return nil }
            guard let result = Int(exactly: value) else { throw problem(column, "an out-of-range number \(value)") }
            return result
        }

        /// An IMAP number (UID, UIDVALIDITY): 32 bits, unsigned.
        func uint32(_ column: String) throws(StoreError) -> UInt32 {
            let value = try int64(column)
            guard let result = UInt32(exactly: value) else {
                throw problem(column, "an out-of-range number \(value)")
            }
            return result
        }

        func bool(_ column: String) throws(StoreError) -> Bool {
            try int64(column) != 0
        }

        func date(_ column: String) throws(StoreError) -> Date {
            Milliseconds.date(try int64(column))
        }

        func optionalDate(_ column: String) throws(StoreError) -> Date? {
            try optionalInt64(column).map(Milliseconds.date)
        }

        func value<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws(StoreError) -> Value
        where Value.RawValue == String {
            let raw = try text(column)
            guard let value = Value(rawValue: raw) else {
                throw problem(column, "an unknown value \(raw.debugDescription)")
            }
            return value
        }

        func optionalValue<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws(StoreError)
            -> Value?
        where Value.RawValue == String {
            guard let raw = try optionalText(column) else { return nil }
            guard let value = Value(rawValue: raw) else {
                throw problem(column, "an unknown value \(raw.debugDescription)")
            }
            return value
        }

        func email(_ column: String) throws(StoreError) -> EmailAddress {
            let raw = try text(column)
            do {
                return try EmailAddress(raw)
            } catch {
                throw problem(column, "an invalid address (\(error))")
            }
        }

        /// The address in `column`, `nil` when the column is NULL.
        func optionalEmail(_ column: String) throws(StoreError) -> EmailAddress? {
            guard try optionalText(column) != nil else { return nil }
            return try email(column)
        }

        func attributes(_ column: String) throws(StoreError) -> [String: String] {
            let raw = try text(column)
            if raw == "{}" { return [:] }
            do {
                return try JSONDecoder().decode([String: String].self, from: Data(raw.utf8))
            } catch {
                throw problem(column, "attributes that are not a JSON object of strings")
            }
        }
    }

    extension PostgresStore {
        /// Runs `query` on `connection` and decodes each row of `table` with `decode`, in the order returned.
        func fetch<T>(
            _ query: PostgresQuery, on connection: PostgresConnection, table: String,
            _ decode: (PostgresStoredRow) throws(StoreError) -> T
        ) async throws -> [T] {
            var result: [T] = []
            let rows = try await connection.query(query, logger: logger)
            for try await row in rows {
                result.append(try decode(PostgresStoredRow(row, table: table, database: settings.description)))
            }
            return result
        }

        /// The first row of `query` decoded with `decode`, `nil` when it returns none.
        func fetchOne<T>(
            _ query: PostgresQuery, on connection: PostgresConnection, table: String,
            _ decode: (PostgresStoredRow) throws(StoreError) -> T
        ) async throws -> T? {
            try await fetch(query, on: connection, table: table, decode).first
        }

        /// Runs `query` (a statement with `RETURNING` when its count matters) and returns how many rows it
        /// returned.
        @discardableResult
        func execute(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
            var count = 0
            let rows = try await connection.query(query, logger: logger)
            for try await _ in rows { count += 1 }
            return count
        }

        /// The number in the first column of the first row of `query` (`SELECT count(*) ...`), 0 when none.
        func count(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
            let rows = try await connection.query(query, logger: logger)
            for try await row in rows {
                return Int(try row.decode(Int64?.self) ?? 0)
            }
            return 0
        }
    }
#endif
