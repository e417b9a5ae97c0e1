internal import NurtureCore

extension StoredRow {
    /// The record in an `inbound_messages` row.
    func inboundRecord() throws(StoreError) -> InboundRecord {
        InboundRecord(
            mailbox: try text("mailbox"), uidValidity: try uint32("uid_validity"), uid: try uint32("uid"),
            at: try date("at"), messageID: try optionalText("message_id"), from: try optionalText("from_address"),
            subject: try optionalText("subject"), kind: try value("kind", as: InboundKind.self),
            evidence: try text("evidence"), rule: try optionalValue("rule", as: AttributionRule.self),
            leadEmail: try optionalEmail("lead_email"),
            sendID: try optionalInt64("send_id"), action: try text("action"))
    }

    /// The cursor in a `mailbox_cursors` row.
    func mailboxCursor() throws(StoreError) -> MailboxCursor {
        MailboxCursor(
            mailbox: try text("mailbox"), uidValidity: try uint32("uid_validity"), lastUID: try uint32("last_uid"),
            checkedAt: try optionalDate("checked_at"), lastError: try optionalText("last_error"),
            failingSince: try optionalDate("failing_since"), failures: try int("failures"))
    }

    /// The address in `column`, `nil` when the column is NULL.
    func optionalEmail(_ column: String) throws(StoreError) -> EmailAddress? {
        guard try optionalText(column) != nil else { return nil }
        return try email(column)
    }
}
