internal import GRDB
package import NurtureCore

extension SQLiteStore {
    package func sends(forEnrollments ids: [Int64]) async throws(StoreError) -> [PlannedSend] {
        guard !ids.isEmpty else { return [] }
        let sends = try await read("reading the sends of \(ids.count) enrollments") { db in
            // One probe of the (enrollment_id, step) index per enrollment, in one snapshot.
            let statement = try db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE enrollment_id = ?")
            return try ids.flatMap { id in
                try Row.fetchAll(statement, arguments: [id]).map { row in try stored(row, "planned_sends").plannedSend()
                }
            }
        }
        return sends.sorted { $0.id < $1.id }
    }
}
