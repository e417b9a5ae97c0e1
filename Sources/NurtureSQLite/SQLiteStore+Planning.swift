internal import GRDB
public import NurtureCore

extension SQLiteStore {
    public func sends(forEnrollments ids: [Int64]) throws(StoreError) -> [PlannedSend] {
        guard !ids.isEmpty else { return [] }
        let rows = try read("reading the sends of \(ids.count) enrollments") { db in
            // One probe of the (enrollment_id, step) index per enrollment, in one snapshot.
            let statement = try db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE enrollment_id = ?")
            return try ids.flatMap { id in try Row.fetchAll(statement, arguments: [id]) }
        }
        return try rows.map { row throws(StoreError) in try stored(row, "planned_sends").plannedSend() }
            .sorted { $0.id < $1.id }
    }
}
