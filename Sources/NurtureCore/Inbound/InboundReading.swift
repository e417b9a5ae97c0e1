package import Foundation

/// What ``InboundClassifier`` read from one incoming message: what it is, why the classifier thinks so, and the
/// header facts attribution needs. Pure data; nothing here touches a mailbox or the store.
package struct InboundReading: Sendable, Hashable {
    /// What the message is.
    package var classification: InboundClassification
    /// Why, in one line for the operator (`Auto-Submitted: auto-replied`, `multipart/report delivery-status,
    /// Status 5.1.1`, `malformed MIME: boundary never closed; read as unrelated`).
    package var evidence: String
    /// The header facts attribution uses.
    package var headers: InboundHeaders

    package init(classification: InboundClassification, evidence: String, headers: InboundHeaders) {
        self.classification = classification
        self.evidence = evidence
        self.headers = headers
    }
}

/// The header facts of an incoming message that tie it to a send or a lead. Message ids are stored without their
/// angle brackets; addresses are lowercased addr-specs as written (not validated: a VERP token lives in them).
package struct InboundHeaders: Sendable, Hashable {
    /// `Message-ID` of the incoming message itself.
    package var messageID: String?
    /// The `From` address, when it is a valid address.
    package var from: EmailAddress?
    /// The decoded `Subject`.
    package var subject: String?
    /// `In-Reply-To` message ids.
    package var inReplyTo: [String]
    /// `References` message ids, in order.
    package var references: [String]
    /// Where the message was delivered: `To`, `Cc`, `Delivered-To`, `X-Original-To`, `Envelope-To`,
    /// `X-Envelope-To` (a VERP address is found here).
    package var recipients: [String]
    /// The `Date` header, when it parses.
    package var date: Date?

    package init(
        messageID: String? = nil, from: EmailAddress? = nil, subject: String? = nil, inReplyTo: [String] = [],
        references: [String] = [], recipients: [String] = [], date: Date? = nil
    ) {
        self.messageID = messageID
        self.from = from
        self.subject = subject
        self.inReplyTo = inReplyTo
        self.references = references
        self.recipients = recipients
        self.date = date
    }
}
