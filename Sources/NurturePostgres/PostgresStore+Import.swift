#if PostgreSQL
    package import NurtureCore
    import Logging
    import PostgresNIO

    /// Raw rows written as read from another store, for `nurture store copy` (docs/postgres.md): every value bound
    /// as a parameter, table and column names only from ``TableRows/tables`` and this database's
    /// `information_schema`.
    extension PostgresStore {
        /// The column types PostgreSQL's `information_schema` reports that an imported value may be cast to.
        private static let importableTypes: Set<String> = ["bigint", "integer", "text", "double precision"]
        /// At most this many bound values in one INSERT (PostgreSQL allows 65,535).
        private static let bindsPerStatement = 60_000

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
        /// the value fits; columns this database has and the batch lacks take their defaults.
        /// - Parameter types: ``columnTypes(of:)`` of the batch's table, read once by the caller.
        package func importRows(_ batch: TableRows, types: [String: String]) async throws(StoreError) {
            let name = try Self.checked(batch.table)
            guard !batch.rows.isEmpty else { return }
            var casts: [String] = []
            for column in batch.columns {
                guard let type = types[column], Self.importableTypes.contains(type) else {
                    throw StoreError(
                        .incompatible,
                        "\(settings): table \(name) has no column `\(column)` of a type this Nurture can copy into"
                            + " (run `nurture store migrate` with the same version of Nurture as the source store)")
                }
                casts.append(type)
            }
            let columnList = batch.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let rowsPerStatement = max(1, Self.bindsPerStatement / batch.columns.count)
            try await transaction("copying rows into \(name)") { connection in
                var start = 0
                while start < batch.rows.count {
                    let rows = batch.rows[start..<min(start + rowsPerStatement, batch.rows.count)]
                    var bindings = PostgresBindings(capacity: rows.count * casts.count)
                    var tuples: [String] = []
                    tuples.reserveCapacity(rows.count)
                    for row in rows {
                        var placeholders: [String] = []
                        for (value, cast) in zip(row, casts) {
                            Self.bind(value, to: &bindings)
                            placeholders.append("$\(bindings.count)::\(cast)")
                        }
                        tuples.append("(" + placeholders.joined(separator: ", ") + ")")
                    }
                    let sql = "INSERT INTO \(name) (\(columnList)) VALUES " + tuples.joined(separator: ", ")
                    try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                    start += rows.count
                }
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

        private static func bind(_ value: TableRows.Value, to bindings: inout PostgresBindings) {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
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
