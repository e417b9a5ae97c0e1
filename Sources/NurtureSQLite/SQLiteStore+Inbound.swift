package import Foundation
internal import GRDB
package import NurtureCore

/// Incoming mail: the processed-message records (`inbound_messages`), the mailbox cursors (`mailbox_cursors`),
/// and the ledger read that attributes a reply or a returned message to its send.
extension SQLiteStore {
    package func sends(messageIDs: [String]) async throws(StoreError) -> [PlannedSend] {
        // The ledger keeps the header form `<left@right>`; a caller may pass either form.
        let bare = Set(messageIDs.map(Self.bareMessageID).filter { !$0.isEmpty })
        guard !bare.isEmpty else { return [] }
        let values = bare.sorted().flatMap { [$0, "<\($0)>"] }
        return try await read("finding sends by Message-ID") { db in
            var found: [Int64: PlannedSend] = [:]
            // SQLite limits the number of bound values of one statement: look them up in chunks.
            for start in stride(from: 0, to: values.count, by: 500) {
                let chunk = Array(values[start..<min(start + 500, values.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM planned_sends WHERE message_id IN (\(marks))",
                    arguments: StatementArguments(chunk))
                for row in rows {
                    let send = try stored(row, "planned_sends").plannedSend()
                    found[send.id] = send
                }
            }
            return found.values.sorted { $0.id < $1.id }
        }
    }

    /// `id@host` for `<id@host>`, `id@host` or ` <id@host> `.
    static func bareMessageID(_ text: String) -> String {
        var value = Substring(text.trimmingCharacters(in: .whitespaces))
        if value.hasPrefix("<") { value = value.dropFirst() }
        if value.hasSuffix(">") { value = value.dropLast() }
        return String(value)
    }

    package func mailboxCursors() async throws(StoreError) -> [MailboxCursor] {
        try await read("reading the mailbox cursors") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM mailbox_cursors ORDER BY mailbox").map { row in
                try stored(row, "mailbox_cursors").mailboxCursor()
            }
        }
    }

    package func saveMailboxCursor(_ cursor: MailboxCursor) async throws(StoreError) {
        try await write("saving the cursor of mailbox \(cursor.mailbox)") { db in
            try db.execute(
                sql: """
                    INSERT INTO mailbox_cursors (
                        mailbox, uid_validity, last_uid, checked_at, last_error, failing_since, failures
                    ) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity,
                        last_uid = excluded.last_uid, checked_at = excluded.checked_at,
                        last_error = excluded.last_error, failing_since = excluded.failing_since,
                        failures = excluded.failures
                    """,
                arguments: [
                    cursor.mailbox, Int64(cursor.uidValidity), Int64(cursor.lastUID),
                    cursor.checkedAt.map(Milliseconds.from), cursor.lastError,
                    cursor.failingSince.map(Milliseconds.from), cursor.failures,
                ])
        }
    }

    package func inboundRecord(
        mailbox: String, uidValidity: UInt32, uid: UInt32
    ) async throws(StoreError) -> InboundRecord? {
        try await read("reading message UID \(uid) of mailbox \(mailbox)") { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT * FROM inbound_messages WHERE mailbox = ? AND uid_validity = ? AND uid = ?"),
                arguments: [mailbox, Int64(uidValidity), Int64(uid)]
            ).map { row in try stored(row, "inbound_messages").inboundRecord() }
        }
    }

    package func recordInbound(_ record: InboundRecord) async throws(StoreError) {
        try await write("recording message UID \(record.uid) of mailbox \(record.mailbox)") { db in
            try insertInbound(record, db)
        }
    }

    /// Inserts `record`; a message already recorded is a `constraint` error naming it.
    func insertInbound(_ record: InboundRecord, _ db: Database) throws {
        let key: [(any DatabaseValueConvertible)?] = [record.mailbox, Int64(record.uidValidity), Int64(record.uid)]
        let exists = try Int64.fetchOne(
            db.cachedStatement(
                sql: "SELECT id FROM inbound_messages WHERE mailbox = ? AND uid_validity = ? AND uid = ?"),
            arguments: StatementArguments(key))
        if exists != nil {
            throw StoreError(
                .constraint,
                "database file \(path): message UID \(record.uid) of mailbox \(record.mailbox) (UIDVALIDITY"
                    + " \(record.uidValidity)) was already processed; it is not acted on twice")
        }
        let values: [(any DatabaseValueConvertible)?] =
            key + [
                Milliseconds.from(record.at), record.messageID, record.from?.lowercased(), record.subject,
                record.kind.rawValue, record.evidence, record.rule?.rawValue, record.leadEmail?.description,
                record.sendID, record.action,
            ]
        try db.cachedStatement(
            sql: """
                INSERT INTO inbound_messages (
                    mailbox, uid_validity, uid, at, message_id, from_address, subject, kind, evidence, rule,
                    lead_email, send_id, action
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: StatementArguments(values))
    }

    package func inbound(for email: EmailAddress) async throws(StoreError) -> [InboundRecord] {
        try await read("reading the incoming mail of \(email)") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM inbound_messages WHERE lead_email = ? ORDER BY at, id"),
                arguments: [email.description]
            ).map { row in try stored(row, "inbound_messages").inboundRecord() }
        }
    }

    package func inboundLog(mailbox: String?, limit: Int) async throws(StoreError) -> [InboundRecord] {
        guard limit > 0 else { return [] }
        let filter = mailbox == nil ? "" : "WHERE mailbox = ?"
        var arguments: [DatabaseValue] = []
        if let mailbox { arguments.append(mailbox.databaseValue) }
        arguments.append(limit.databaseValue)
        let (sql, values) = ("SELECT * FROM inbound_messages \(filter) ORDER BY at DESC, id DESC LIMIT ?", arguments)
        return try await read("reading the incoming mail log") { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map { row in
                try stored(row, "inbound_messages").inboundRecord()
            }
        }
    }

    package func inboundCount(
        _ email: EmailAddress, kind: InboundKind, since: Date
    ) async throws(StoreError) -> Int {
        try await read("counting the \(kind) messages of \(email)") { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT COUNT(*) FROM inbound_messages WHERE lead_email = ? AND kind = ? AND at >= ?"),
                arguments: [email.description, kind.rawValue, Milliseconds.from(since)]) ?? 0
        }
    }
}
