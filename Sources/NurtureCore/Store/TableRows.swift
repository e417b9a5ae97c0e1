/// Rows of one store table as stored, column by column: what `nurture store copy` reads from the SQLite store and
/// writes to the PostgreSQL one (both stores have the same tables and column names; docs/postgres.md).
package struct TableRows: Sendable, Hashable {
    /// One stored value. The stores keep dates as integer milliseconds and booleans as 0/1, so integers, text and
    /// NULL are all a row holds; ``real`` is kept for completeness.
    package enum Value: Sendable, Hashable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    /// A table `nurture store copy` moves, and the column its rows are ordered and paged by (unique).
    package struct Table: Sendable, Hashable, CustomStringConvertible {
        package let name: String
        package let key: String
        /// Whether ``key`` is an integer identity (`id`) whose sequence must continue past the copied rows.
        package var hasIdentity: Bool { key == "id" }
        package var description: String { name }
    }

    /// Every table of the store's data, parents before children (foreign keys hold at each insert). The names are
    /// fixed here: no table name ever comes from input.
    package static let tables: [Table] = [
        Table(name: "leads", key: "id"), Table(name: "lead_audit", key: "id"), Table(name: "enrollments", key: "id"),
        Table(name: "planned_sends", key: "id"), Table(name: "send_log", key: "id"),
        Table(name: "suppressions", key: "address_hash"), Table(name: "meta", key: "key"),
        Table(name: "unsubscribe_tokens", key: "token"), Table(name: "relay_pauses", key: "relay"),
        Table(name: "inbound_messages", key: "id"), Table(name: "mailbox_cursors", key: "mailbox"),
    ]

    package var table: Table
    /// The column names, in the order of each row's values.
    package var columns: [String]
    package var rows: [[Value]]

    package init(table: Table, columns: [String], rows: [[Value]]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }

    /// The key value of the last row (where the next page starts), when the key column is among ``columns``.
    package var lastKey: Value? {
        guard let index = columns.firstIndex(of: table.key) else { return nil }
        return rows.last?[index]
    }
}

/// A store whose tables can be read row by row as stored (the source of `nurture store copy`).
package protocol TableRowSource: Sendable {
    /// How many rows `table` holds.
    func rowCount(of table: TableRows.Table) async throws(StoreError) -> Int
    /// Up to `limit` rows of `table` whose key comes after `after` (from the start when `nil`), in key order.
    func exportRows(_ table: TableRows.Table, after: TableRows.Value?, limit: Int) async throws(StoreError) -> TableRows
}

/// One table's row count in the source and the target of a copy.
package struct TableCount: Sendable, Hashable {
    package var table: TableRows.Table
    package var source: Int
    package var target: Int

    package init(table: TableRows.Table, source: Int, target: Int) {
        self.table = table
        self.source = source
        self.target = target
    }
}
