package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    package func enrollAll(
        _ requests: [EnrollmentRequest], at: Date, endingOthers: EnrollmentEndReason
    ) async throws(StoreError) -> [EnrollmentRecord] {
        let action =
            requests.count == 1
            ? "enrolling \(requests[0].email) in sequence \(requests[0].sequence)" : "enrolling \(requests.count) leads"
        return try await write(action) { db in
            try requests.map { request in
                try insertEnrollment(request.email, in: request.sequence, at: at, endingOthers: endingOthers, db)
            }
        }
    }

    /// Ends the lead's active enrollment, if any, and inserts the new one.
    func insertEnrollment(
        _ email: EmailAddress, in sequence: String, at: Date, endingOthers: EnrollmentEndReason, _ db: Database
    ) throws -> EnrollmentRecord {
        let id = try enroll(email, in: sequence, at: at, endingOthers: endingOthers, db)
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM enrollments WHERE id = ?"), arguments: [id])
        else { throw StoreError("database file \(path): the new enrollment of \(email) vanished") }
        return try stored(row, "enrollments").enrollment()
    }

    /// Ends the lead's active enrollment, if any, and starts one in `sequence`, with cached statements.
    /// - Returns: the new enrollment's id.
    func enroll(
        _ email: EmailAddress, in sequence: String, at: Date, endingOthers: EnrollmentEndReason, _ db: Database
    ) throws -> Int64 {
        let active = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM enrollments WHERE lead_email = ? AND ended_at IS NULL"),
            arguments: [email.description])
        for id in active { _ = try end(id, reason: endingOthers, at: at, db) }
        try db.cachedStatement(sql: "INSERT INTO enrollments (lead_email, sequence, started_at) VALUES (?, ?, ?)")
            .execute(arguments: [email.description, sequence, Milliseconds.from(at)])
        return db.lastInsertedRowID
    }

    /// Ending an enrollment that has already ended changes nothing and returns 0.
    /// - Throws: ``StoreError`` when no enrollment has this id.
    @discardableResult
    package func endEnrollment(_ id: Int64, reason: EnrollmentEndReason, at: Date) async throws(StoreError) -> Int {
        try await write("ending enrollment \(id)") { db in try end(id, reason: reason, at: at, db) }
    }

    /// Ends enrollment `id` and cancels its waiting rows, each with a log line; returns how many.
    func end(_ id: Int64, reason: EnrollmentEndReason, at: Date, _ db: Database) throws -> Int {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM enrollments WHERE id = ?"), arguments: [id])
        else {
            throw StoreError(.notFound, "database file \(path): enrollment \(id) does not exist")
        }
        let enrollment = try stored(row, "enrollments").enrollment()
        guard enrollment.isActive else { return 0 }
        try db.execute(
            sql: "UPDATE enrollments SET ended_at = ?, end_reason = ? WHERE id = ?",
            arguments: [Milliseconds.from(at), reason.rawValue, id])
        let waiting = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM planned_sends WHERE enrollment_id = ? AND +state IN \(Schema.waitingStates)"),
            arguments: [id])
        for row in waiting {
            try cancel(
                try stored(row, "planned_sends").plannedSend(), detail: "enrollment ended: \(reason)",
                kind: .enrollmentEnded, at: at, db)
        }
        return waiting.count
    }

    package func enrollment(_ id: Int64) async throws(StoreError) -> EnrollmentRecord? {
        try await read("reading enrollment \(id)") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM enrollments WHERE id = ?"), arguments: [id])
                .map { row in try stored(row, "enrollments").enrollment() }
        }
    }

    package func enrollments(for email: EmailAddress) async throws(StoreError) -> [EnrollmentRecord] {
        try await read("reading the enrollments of \(email)") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM enrollments WHERE lead_email = ? ORDER BY id"),
                arguments: [email.description]
            ).map { row in try stored(row, "enrollments").enrollment() }
        }
    }

    /// Active enrollments flagged `needs_plan`, oldest first; the argument is the limit.
    static let needingPlanSQL = """
        SELECT * FROM enrollments INDEXED BY enrollments_needing_plan WHERE needs_plan = 1 ORDER BY id LIMIT ?
        """

    /// Reads the `needs_plan` flag through its partial index, so the cost follows `limit`, not the
    /// number of leads or enrollments. Triggers keep the flag current (see ``Schema``). Oldest first.
    package func enrollmentsNeedingPlan(limit: Int) async throws(StoreError) -> [EnrollmentRecord] {
        guard limit > 0 else { return [] }
        return try await read("finding enrollments that need a plan") { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.needingPlanSQL), arguments: [limit])
                .map { row in try stored(row, "enrollments").enrollment() }
        }
    }
}
