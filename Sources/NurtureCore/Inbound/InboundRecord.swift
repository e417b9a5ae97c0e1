package import Foundation

/// One processed incoming message, as the store keeps it (`inbound_messages`): unique per mailbox, UIDVALIDITY
/// and UID, so a message is never acted on twice. Written in the same transaction as the lead change it caused
/// (``LeadChange/Step/inbound(_:)``), or alone (``SendStore/recordInbound(_:)``) when it changed nothing.
package struct InboundRecord: Sendable, Hashable {
    /// The watched mailbox's configured name.
    package var mailbox: String
    package var uidValidity: UInt32
    package var uid: UInt32
    /// When it was processed.
    package var at: Date
    /// The message's own `Message-ID`, without angle brackets.
    package var messageID: String?
    /// The `From` address as written (lowercased), for the operator.
    package var from: String?
    /// The decoded subject, for the operator.
    package var subject: String?
    package var kind: InboundKind
    /// Why the classifier decided so (``InboundReading/evidence``).
    package var evidence: String
    /// The attribution rule that matched; `nil` when none did.
    package var rule: AttributionRule?
    package var leadEmail: EmailAddress?
    package var sendID: Int64?
    /// What was done, in words (`ended inbound-sales (replied)`, `paused until ...`, `nothing: unrelated`).
    package var action: String

    package init(
        mailbox: String, uidValidity: UInt32, uid: UInt32, at: Date, messageID: String? = nil, from: String? = nil,
        subject: String? = nil, kind: InboundKind, evidence: String, rule: AttributionRule? = nil,
        leadEmail: EmailAddress? = nil, sendID: Int64? = nil, action: String
    ) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.uid = uid
        self.at = at
        self.messageID = messageID
        self.from = from
        self.subject = subject
        self.kind = kind
        self.evidence = evidence
        self.rule = rule
        self.leadEmail = leadEmail
        self.sendID = sendID
        self.action = action
    }
}

/// A watched mailbox's durable cursor and health (`mailbox_cursors`): mail with a UID above `lastUID` under
/// `uidValidity` is new. A changed UIDVALIDITY means the server renumbered the mailbox: every message is looked
/// at again, and the processed-message records keep what was already acted on from being acted on twice.
package struct MailboxCursor: Sendable, Hashable {
    package var mailbox: String
    package var uidValidity: UInt32
    package var lastUID: UInt32
    /// The last successful poll.
    package var checkedAt: Date?
    /// The last failure, in words, while it lasts (`nil` after a successful poll).
    package var lastError: String?
    /// When the current run of failures began.
    package var failingSince: Date?
    /// Consecutive failed polls.
    package var failures: Int

    package init(
        mailbox: String, uidValidity: UInt32, lastUID: UInt32, checkedAt: Date? = nil, lastError: String? = nil,
        failingSince: Date? = nil, failures: Int = 0
    ) {
        self.mailbox = mailbox
        self.uidValidity = uidValidity
        self.lastUID = lastUID
        self.checkedAt = checkedAt
        self.lastError = lastError
        self.failingSince = failingSince
        self.failures = failures
    }
}
