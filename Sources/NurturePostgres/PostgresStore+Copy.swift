#if PostgreSQL
    package import NurtureCore

    /// `nurture store copy`: another store's rows moved into this (empty, migrated) database, table by table, then
    /// counted on both sides (docs/postgres.md).
    extension PostgresStore {
        /// Rows per transaction of a copy.
        package static let copyBatchSize = 5_000

        /// The tables of ``TableRows/tables`` that hold rows here, with their counts; empty for an empty database.
        package func nonEmptyTables() async throws(StoreError) -> [(table: TableRows.Table, rows: Int)] {
            var found: [(table: TableRows.Table, rows: Int)] = []
            for table in TableRows.tables {
                let rows = try await rowCount(of: table)
                if rows > 0 { found.append((table, rows)) }
            }
            return found
        }

        /// Copies every table of `source` into this database, which must be migrated and empty: rows in key order,
        /// ids kept, `batchSize` rows per transaction; then moves each identity sequence past the copied ids, folds
        /// the send counts, and counts both sides.
        /// - Parameter progress: called after each table with its name and the rows copied.
        /// - Returns: the count of each table on both sides (equal when the copy is complete).
        /// - Throws: `.constraint` for a target that holds rows; whatever reading or writing throws.
        package func copy(
            from source: any TableRowSource, batchSize: Int = copyBatchSize,
            progress: (TableRows.Table, Int) -> Void = { _, _ in }
        ) async throws(StoreError) -> [TableCount] {
            let occupied = try await nonEmptyTables()
            guard occupied.isEmpty else {
                let list = occupied.map { "\($0.table) (\($0.rows) rows)" }.joined(separator: ", ")
                throw StoreError(
                    .constraint,
                    "\(settings) is not empty: \(list); copy only into a new, empty database (create one with"
                        + " `createdb`, or drop these rows if they are a failed copy's)")
            }
            for table in TableRows.tables {
                let types = try await columnTypes(of: table)
                var copied = 0
                var after: TableRows.Value?
                while true {
                    let batch = try await source.exportRows(table, after: after, limit: batchSize)
                    if batch.rows.isEmpty { break }
                    try await importRows(batch, types: types)
                    copied += batch.rows.count
                    after = batch.lastKey
                    if batch.rows.count < batchSize || after == nil { break }
                }
                try await continueIdentity(of: table)
                progress(table, copied)
            }
            // The ledger's count triggers appended a change per copied row: folded now, not left for the first
            // daemon's leader (and every count read until then) to go through.
            try await foldCounts()
            var counts: [TableCount] = []
            for table in TableRows.tables {
                counts.append(
                    TableCount(
                        table: table, source: try await source.rowCount(of: table),
                        target: try await rowCount(of: table)))
            }
            return counts
        }
    }
#endif
