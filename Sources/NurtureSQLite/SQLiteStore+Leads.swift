package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    private static let upsertLeadSQL = """
        INSERT INTO leads (
            email, first_name, last_name, company, title, time_zone, stage, source, owner,
            vision, budget, need, authority, timeframe, attributes, unsubscribed, bounced, created_at, updated_at
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (email) DO UPDATE SET
            email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
            company = excluded.company, title = excluded.title, time_zone = excluded.time_zone,
            stage = excluded.stage, source = excluded.source, owner = excluded.owner,
            vision = excluded.vision, budget = excluded.budget, need = excluded.need,
            authority = excluded.authority, timeframe = excluded.timeframe, attributes = excluded.attributes,
            unsubscribed = excluded.unsubscribed, bounced = excluded.bounced, updated_at = excluded.updated_at
        """

    private static let insertLeadSQL = String(upsertLeadSQL[..<upsertLeadSQL.range(of: "ON CONFLICT")!.lowerBound])

    /// Inserts `lead`, expected to be new, with one cached statement; a lead that exists by then (another
    /// process added it) is replaced as ``upsert(_:at:_:)`` does. Returns `true` when it was new.
    private func insertNew(_ lead: Lead, at: Int64, _ db: Database) throws -> Bool {
        do {
            try db.cachedStatement(sql: Self.insertLeadSQL).execute(arguments: StatementArguments(values(lead, at)))
            return true
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            // Only this statement failed; the transaction goes on.
            return try upsert(lead, at: at, db)
        }
    }

    /// The column values of the insert statements, in their order.
    private func values(_ lead: Lead, _ at: Int64) -> [(any DatabaseValueConvertible)?] {
        let qualification = lead.qualification
        return [
            lead.email.description, lead.firstName, lead.lastName, lead.company, lead.title, lead.timeZone,
            lead.stage.rawValue, lead.source.rawValue, lead.owner,
            qualification.vision.rawValue, qualification.budget.rawValue, qualification.need.rawValue,
            qualification.authority.rawValue, qualification.timeframe.rawValue,
            AttributesJSON.encode(lead.attributes), lead.isUnsubscribed, lead.hasBounced, at, at,
        ]
    }

    /// Inserts or replaces `lead` with one cached statement.
    func saveLead(_ lead: Lead, at: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: Self.upsertLeadSQL).execute(arguments: StatementArguments(values(lead, at)))
    }

    /// Inserts or replaces `lead` with two cached statements; returns `true` when it is new.
    func upsert(_ lead: Lead, at: Int64, _ db: Database) throws -> Bool {
        let email = lead.email.description
        let exists = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM leads WHERE email = ?"), arguments: [email])
        try db.cachedStatement(sql: Self.upsertLeadSQL).execute(arguments: StatementArguments(values(lead, at)))
        return exists == nil
    }

    @discardableResult
    package func saveLeads(_ leads: [Lead], at: Date) async throws(StoreError) -> Int {
        let now = Milliseconds.from(at)
        let action = leads.count == 1 ? "saving lead \(leads[0].email)" : "saving \(leads.count) leads"
        return try await write(action) { db in
            var new = 0
            for lead in leads {
                if try upsert(lead, at: now, db) { new += 1 }
            }
            return new
        }
    }

    @discardableResult
    package func createLeads(
        _ leads: [NewLead], cursor: RoundRobinCursor?, keying: AddressKeying, at: Date
    ) async throws(StoreError) -> Int {
        guard !leads.isEmpty || cursor != nil else { return 0 }
        let now = Milliseconds.from(at)
        let cursorJSON = try cursor.map { cursor throws(StoreError) in try Self.encode(cursor) }
        return try await write("creating \(leads.count) leads") { db in
            // Bulk inserts touch pages all over the address indexes: with SQLite's default 2 MB page cache a
            // million-lead import spends most of its time re-reading them. 64 MB for this connection.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            var new = 0
            for item in leads {
                if try insertNew(item.lead, at: now, db) { new += 1 }
                for entry in item.audit { try appendAudit(entry, db) }
                if let reason = item.suppression {
                    try suppress(keying.suppressionKey(for: item.lead.email), reason: reason, at: now, db)
                }
                if let sequence = item.sequence {
                    let id = try enroll(item.lead.email, in: sequence, at: at, endingOthers: .stageChanged, db)
                    try appendAudit(.enrolled(item.lead.email, in: sequence, enrollmentID: id, at: at), db)
                }
            }
            if let cursorJSON { try saveRoundRobinCursor(json: cursorJSON, db) }
            return new
        }
    }

    package func leads(_ emails: [EmailAddress]) async throws(StoreError) -> [Lead] {
        guard !emails.isEmpty else { return [] }
        let action = emails.count == 1 ? "reading lead \(emails[0])" : "reading \(emails.count) leads"
        return try await read(action) { db in
            let statement = try db.cachedStatement(sql: "SELECT * FROM leads WHERE email = ?")
            return try emails.compactMap { email in
                try Row.fetchOne(statement, arguments: [email.description]).map { row in
                    try stored(row, "leads").lead()
                }
            }
        }
    }

    /// Leads ordered by address, case-insensitively (the order of the `email` column's NOCASE collation).
    package func leads(after: EmailAddress?, limit: Int) async throws(StoreError) -> [Lead] {
        guard limit > 0 else { return [] }
        return try await read("listing leads") { db in
            let rows =
                if let after {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM leads WHERE email > ? ORDER BY email LIMIT ?",
                        arguments: [after.description, limit])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM leads ORDER BY email LIMIT ?", arguments: [limit])
                }
            return try rows.map { row in try stored(row, "leads").lead() }
        }
    }

    package func leadCount() async throws(StoreError) -> Int {
        try await read("counting leads") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads") ?? 0 }
    }

    // MARK: Audit

    package func appendAudit(_ entry: LeadAuditEntry) async throws(StoreError) {
        try await write("appending to the audit trail of \(entry.leadEmail)") { db in try appendAudit(entry, db) }
    }

    /// Appends `entry` with a cached statement.
    func appendAudit(_ entry: LeadAuditEntry, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO lead_audit (at, lead_email, kind, detail) VALUES (?, ?, ?, ?)")
            .execute(arguments: [
                Milliseconds.from(entry.at), entry.leadEmail.description, entry.kind, entry.detail,
            ])
    }

    /// The lead's audit trail ordered by time, entries with the same time in the order appended.
    package func audit(for email: EmailAddress) async throws(StoreError) -> [LeadAuditEntry] {
        try await read("reading the audit trail of \(email)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM lead_audit WHERE lead_email = ? ORDER BY at, id",
                arguments: [email.description]
            ).map { row in try stored(row, "lead_audit").auditEntry() }
        }
    }
}
