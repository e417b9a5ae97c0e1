package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    @discardableResult
    package func apply(_ change: LeadChange, at: Date) async throws(StoreError) -> LeadChangeResult {
        let cursorJSON = try change.cursor.map { cursor throws(StoreError) in try Self.encode(cursor) }
        do {
            return try await pool.write { db in try self.write(change, cursorJSON: cursorJSON, at: at, db) }
        } catch {
            throw StoreError.wrapping(error, path: path, action: "changing lead \(change.lead.email)")
        }
    }

    /// The statements of ``apply(_:at:)``, inside its transaction.
    private func write(_ change: LeadChange, cursorJSON: String?, at: Date, _ db: Database) throws -> LeadChangeResult {
        let email = change.lead.email
        let now = Milliseconds.from(at)
        let exists = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM leads WHERE email = ?"), arguments: [email.description])
        try saveLead(change.lead, at: now, db)
        var result = LeadChangeResult(created: exists == nil)
        var started: Int64?
        for step in change.steps {
            switch step {
            case .audit(let entry):
                try appendAudit(entry, db)
            case .suppress(let reason):
                try suppress(change.suppressionKey, reason: reason, at: now, db)
            case .end(let enrollment, let sequence, let reason):
                guard let id = enrollment ?? started else {
                    throw StoreError("lead \(email): the change ends an enrollment of \(sequence) it did not start")
                }
                let cancelled = try end(id, reason: reason, at: at, db)
                result.cancelled.append(cancelled)
                let detail = LeadChange.endedDetail(sequence: sequence, reason: reason, cancelled: cancelled)
                try appendAudit(LeadAuditEntry(at: at, leadEmail: email, kind: "enrollment-ended", detail: detail), db)
            case .enroll(let sequence):
                let id = try enroll(email, in: sequence, at: at, endingOthers: .stageChanged, db)
                started = id
                result.enrolled.append(id)
                try appendAudit(.enrolled(email, in: sequence, enrollmentID: id, at: at), db)
            case .pause(let enrollment, let until):
                try pause(enrollment, of: email, until: until, at: at, db)
            case .inbound(let record):
                try insertInbound(record, db)
            }
        }
        if let cursorJSON { try saveRoundRobinCursor(json: cursorJSON, db) }
        return result
    }

    /// Pauses active enrollment `id` of `email` until `until` (a later pause replaces an earlier one), with its
    /// `paused` audit line; an ended enrollment is left as it is.
    private func pause(_ id: Int64, of email: EmailAddress, until: Date, at: Date, _ db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM enrollments WHERE id = ?"), arguments: [id])
        else {
            throw StoreError(.notFound, "database file \(path): enrollment \(id) of \(email) does not exist")
        }
        let enrollment = try stored(row, "enrollments").enrollment()
        guard enrollment.leadEmail.description.lowercased() == email.description.lowercased() else {
            throw StoreError(
                "lead \(email): the change pauses enrollment \(id), which belongs to \(enrollment.leadEmail)")
        }
        guard enrollment.isActive else { return }
        try db.cachedStatement(sql: "UPDATE enrollments SET paused_until = ? WHERE id = ?")
            .execute(arguments: [Milliseconds.from(until), id])
        try appendAudit(.paused(email, sequence: enrollment.sequence, until: until, at: at), db)
    }
}
