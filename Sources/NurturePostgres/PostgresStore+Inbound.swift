#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    /// Incoming mail: the processed-message records (`inbound_messages`) and the mailbox cursors
    /// (`mailbox_cursors`). The ledger read that attributes a message to its send, `sends(messageIDs:)`, is the
    /// ledger's.
    extension PostgresStore {
        package func mailboxCursors() async throws(StoreError) -> [MailboxCursor] {
            try await read("reading the mailbox cursors") { connection in
                try await fetch(
                    "SELECT * FROM mailbox_cursors ORDER BY mailbox COLLATE \"C\"", on: connection,
                    table: "mailbox_cursors"
                ) { row throws(StoreError) in try row.mailboxCursor() }
            }
        }

        package func saveMailboxCursor(_ cursor: MailboxCursor) async throws(StoreError) {
            let checkedAt = cursor.checkedAt.map(Milliseconds.from)
            let failingSince = cursor.failingSince.map(Milliseconds.from)
            try await transaction("saving the cursor of mailbox \(cursor.mailbox)") { connection in
                try await execute(
                    """
                    INSERT INTO mailbox_cursors (
                        mailbox, uid_validity, last_uid, checked_at, last_error, failing_since, failures
                    ) VALUES (
                        \(cursor.mailbox), \(Int64(cursor.uidValidity)), \(Int64(cursor.lastUID)), \(checkedAt),
                        \(cursor.lastError), \(failingSince), \(cursor.failures)
                    )
                    ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity,
                        last_uid = excluded.last_uid, checked_at = excluded.checked_at,
                        last_error = excluded.last_error, failing_since = excluded.failing_since,
                        failures = excluded.failures
                    """, on: connection)
            }
        }

        package func inboundRecord(
            mailbox: String, uidValidity: UInt32, uid: UInt32
        ) async throws(StoreError) -> InboundRecord? {
            try await read("reading message UID \(uid) of mailbox \(mailbox)") { connection in
                try await fetchOne(
                    """
                    SELECT * FROM inbound_messages
                    WHERE mailbox = \(mailbox) AND uid_validity = \(Int64(uidValidity)) AND uid = \(Int64(uid))
                    """, on: connection, table: "inbound_messages",
                    { row throws(StoreError) in try row.inboundRecord() })
            }
        }

        package func recordInbound(_ record: InboundRecord) async throws(StoreError) {
            try await transaction("recording message UID \(record.uid) of mailbox \(record.mailbox)") { connection in
                try await insertInbound(record, on: connection)
            }
        }

        /// Inserts `record`; a message already recorded is a `constraint` error naming it (also when another daemon
        /// recorded it at the same moment: the unique key decides).
        func insertInbound(_ record: InboundRecord, on connection: PostgresConnection) async throws {
            let uidValidity = Int64(record.uidValidity)
            let uid = Int64(record.uid)
            let inserted = try await execute(
                """
                INSERT INTO inbound_messages (
                    mailbox, uid_validity, uid, at, message_id, from_address, subject, kind, evidence, rule,
                    lead_email, send_id, action
                ) VALUES (
                    \(record.mailbox), \(uidValidity), \(uid), \(Milliseconds.from(record.at)),
                    \(record.messageID), \(record.from?.lowercased()), \(record.subject), \(record.kind.rawValue),
                    \(record.evidence), \(record.rule?.rawValue), \(record.leadEmail?.description), \(record.sendID),
                    \(record.action)
                )
                ON CONFLICT (mailbox, uid_validity, uid) DO NOTHING
                RETURNING 1
                """, on: connection)
            guard inserted == 1 else {
                throw StoreError(
                    .constraint,
                    "\(settings): message UID \(record.uid) of mailbox \(record.mailbox) (UIDVALIDITY"
                        + " \(record.uidValidity)) was already processed; it is not acted on twice")
            }
        }

        package func inbound(for email: EmailAddress) async throws(StoreError) -> [InboundRecord] {
            try await read("reading the incoming mail of \(email)") { connection in
                try await fetch(
                    """
                    SELECT * FROM inbound_messages WHERE lower(lead_email) = lower(\(email.description))
                    ORDER BY at, id
                    """, on: connection, table: "inbound_messages"
                ) { row throws(StoreError) in try row.inboundRecord() }
            }
        }

        package func inboundLog(mailbox: String?, limit: Int) async throws(StoreError) -> [InboundRecord] {
            guard limit > 0 else { return [] }
            return try await read("reading the incoming mail log") { connection in
                let query: PostgresQuery =
                    if let mailbox {
                        """
                        SELECT * FROM inbound_messages WHERE mailbox = \(mailbox) ORDER BY at DESC, id DESC
                        LIMIT \(limit)
                        """
                    } else {
                        "SELECT * FROM inbound_messages ORDER BY at DESC, id DESC LIMIT \(limit)"
                    }
                return try await fetch(query, on: connection, table: "inbound_messages") { row throws(StoreError) in
                    try row.inboundRecord()
                }
            }
        }

        package func inboundCount(
            _ email: EmailAddress, kind: InboundKind, since: Date
        ) async throws(StoreError) -> Int {
            try await read("counting the \(kind) messages of \(email)") { connection in
                try await count(
                    """
                    SELECT count(*) FROM inbound_messages
                    WHERE lower(lead_email) = lower(\(email.description)) AND kind = \(kind.rawValue)
                        AND at >= \(Milliseconds.from(since))
                    """, on: connection)
            }
        }
    }
#endif
