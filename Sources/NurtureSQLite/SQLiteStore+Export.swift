import Foundation
internal import GRDB
package import NurtureCore

/// Raw rows, table by table, for `nurture store copy` (the store's data moved to PostgreSQL as stored).
extension SQLiteStore: TableRowSource {
    /// The column names of `table`, as the file has them (every migration applied).
    package func columns(of table: TableRows.Table) async throws(StoreError) -> [String] {
        let name = try Self.checked(table)
        return try await read("reading the columns of \(name)") { db in try db.columns(in: name).map(\.name) }
    }

    /// How many rows `table` holds.
    package func rowCount(of table: TableRows.Table) async throws(StoreError) -> Int {
        let name = try Self.checked(table)
        return try await read("counting the rows of \(name)") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(name)\"") ?? 0
        }
    }

    /// Up to `limit` rows of `table` whose key comes after `after` (from the start when `nil`), in key order, every
    /// column as stored.
    package func exportRows(
        _ table: TableRows.Table, after: TableRows.Value?, limit: Int
    ) async throws(StoreError) -> TableRows {
        let name = try Self.checked(table)
        let key = table.key
        let start: DatabaseValue? =
            switch after {
            case .integer(let value): value.databaseValue
            case .text(let value): value.databaseValue
            case .real(let value): value.databaseValue
            case .null, nil: nil
            }
        return try await read("reading the rows of \(name)") { db in
            let columns = try db.columns(in: name).map(\.name)
            let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let rows: [Row]
            if let start {
                rows = try Row.fetchAll(
                    db, sql: "SELECT \(list) FROM \"\(name)\" WHERE \"\(key)\" > ? ORDER BY \"\(key)\" LIMIT ?",
                    arguments: [start, limit])
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT \(list) FROM \"\(name)\" ORDER BY \"\(key)\" LIMIT ?", arguments: [limit])
            }
            return TableRows(
                table: table, columns: columns, rows: rows.map { row in row.databaseValues.map(Self.value) })
        }
    }

    /// How many sends are in flight: claimed by a daemon that is running, or that stopped without recording them
    /// (its next start recovers them).
    package func inFlightCount() async throws(StoreError) -> Int {
        try await read("counting the sends in flight") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM planned_sends WHERE state = 'in-flight'") ?? 0
        }
    }

    /// The migrations recorded in the file at `path` and those this build knows, without changing the file (0
    /// applied when it does not exist).
    package static func schemaVersions(path: String) throws(StoreError) -> (applied: Int, known: Int) {
        let known = Schema.migrator.migrations.count
        guard FileManager.default.fileExists(atPath: path) else { return (0, known) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let applied = try queue.read { db in
                guard try db.tableExists("grdb_migrations") else { return 0 }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") ?? 0
            }
            try queue.close()
            return (applied, known)
        } catch {
            throw StoreError.wrapping(error, path: path, action: "reading the store's schema version")
        }
    }

    /// The name of `table` when it is one of ``TableRows/tables`` (never a name from input).
    private static func checked(_ table: TableRows.Table) throws(StoreError) -> String {
        guard TableRows.tables.contains(table) else {
            throw StoreError(.failed, "`\(table.name)` is not a table of the store")
        }
        return table.name
    }

    private static func value(_ value: DatabaseValue) -> TableRows.Value {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }
}
