#if PostgreSQL
    package import NurtureCore
    import Logging
    import PostgresNIO

    /// Raw rows written as read from another store, for `nurture store copy` (docs/postgres.md): the values travel
    /// in a bound parameter, never in the SQL text; table and column names come only from ``TableRows/tables`` and
    /// are checked against this database's `information_schema`.
    extension PostgresStore {
        /// The column types (as `information_schema` names them) an imported value may go into.
        private static let importableTypes: Set<String> = ["bigint", "integer", "text", "double precision"]

        /// The columns of `table` in this database and their types (`bigint`, `integer`, `text`), by name.
        package func columnTypes(of table: TableRows.Table) async throws(StoreError) -> [String: String] {
            let name = try Self.checked(table)
            return try await read("reading the columns of \(name)") { connection in
                let rows = try await connection.query(
                    """
                    SELECT column_name, data_type FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = \(name)
                    """, logger: logger)
                var types: [String: String] = [:]
                for try await (column, type) in rows.decode((String, String).self) { types[column] = type }
                return types
            }
        }

        /// How many rows `table` holds.
        package func rowCount(of table: TableRows.Table) async throws(StoreError) -> Int {
            let name = try Self.checked(table)
            return try await read("counting the rows of \(name)") { connection in
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(name)"), logger: logger)
                var count: Int64 = 0
                for try await value in rows.decode(Int64.self) { count = value }
                return Int(count)
            }
        }

        /// Inserts `batch` in one transaction, ids as given. Each column must exist in this database with a type
        /// the value fits; columns this database has and the batch lacks are NULL.
        ///
        /// The rows travel as one bound parameter, a JSON array of objects keyed by column name, that
        /// `json_populate_recordset` turns into rows of the table's own types: one statement per batch, nothing
        /// from the data in the SQL text.
        /// - Parameter types: ``columnTypes(of:)`` of the batch's table, read once by the caller.
        package func importRows(_ batch: TableRows, types: [String: String]) async throws(StoreError) {
            let name = try Self.checked(batch.table)
            guard !batch.rows.isEmpty else { return }
            for column in batch.columns {
                guard let type = types[column], Self.importableTypes.contains(type) else {
                    throw StoreError(
                        .incompatible,
                        "\(settings): table \(name) has no column `\(column)` of a type this Nurture can copy into"
                            + " (run `nurture store migrate` with the same version of Nurture as the source store)")
                }
            }
            let columnList = batch.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let sql =
                "INSERT INTO \(name) (\(columnList)) SELECT \(columnList)"
                + " FROM json_populate_recordset(NULL::\(name), $1::json)"
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(Self.json(batch))
            let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
            try await transaction("copying rows into \(name)") { connection in
                _ = try await connection.query(query, logger: logger)
            }
        }

        /// Moves the identity sequence of `table` past its highest id, so new rows do not collide with copied ones.
        package func continueIdentity(of table: TableRows.Table) async throws(StoreError) {
            let name = try Self.checked(table)
            guard table.hasIdentity else { return }
            try await transaction("continuing the ids of \(name)") { connection in
                let sql =
                    "SELECT setval(pg_get_serial_sequence('\(name)', 'id'), (SELECT COALESCE(max(id), 0) + 1 FROM \(name)),"
                    + " false)"
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
        }

        /// The highest migration recorded in `schema_migrations`; 0 for a database never migrated.
        package func recordedSchemaVersion() async throws(StoreError) -> Int {
            try await read("reading the schema version") { connection in
                let rows = try await connection.query(
                    "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
                var exists = false
                for try await value in rows.decode(Bool.self) { exists = value }
                guard exists else { return 0 }
                let versions = try await connection.query(
                    "SELECT COALESCE(max(version), 0) FROM schema_migrations", logger: logger)
                var version: Int32 = 0
                for try await value in versions.decode(Int32.self) { version = value }
                return Int(version)
            }
        }

        /// The rows of `batch` as a JSON array of objects, one key per column.
        static func json(_ batch: TableRows) -> String {
            let keys = batch.columns.map { "\"" + escaped($0) + "\":" }
            var text = "["
            for (index, row) in batch.rows.enumerated() {
                text += index == 0 ? "{" : ",{"
                for (column, value) in row.enumerated() {
                    if column > 0 { text += "," }
                    text += keys[column]
                    switch value {
                    case .null: text += "null"
                    case .integer(let number): text += String(number)
                    case .real(let number): text += number.isFinite ? "\(number)" : "null"
                    case .text(let string): text += "\"" + escaped(string) + "\""
                    }
                }
                text += "}"
            }
            return text + "]"
        }

        /// `text` as the inside of a JSON string: quotes, backslashes and control characters escaped.
        static func escaped(_ text: String) -> String {
            guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return text }
            var result = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result
        }

        /// The name of `table` when it is one of ``TableRows/tables`` (never a name from input).
        private static func checked(_ table: TableRows.Table) throws(StoreError) -> String {
            guard TableRows.tables.contains(table) else {
                throw StoreError(.failed, "`\(table.name)` is not a table of the store")
            }
            return table.name
        }
    }
#endif
