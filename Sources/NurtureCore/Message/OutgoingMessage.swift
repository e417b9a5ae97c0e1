package import Foundation

/// Everything needed to compose one email; plain data, no I/O.
package struct OutgoingMessage: Sendable, Equatable {
    /// The sender shown in `From`.
    package var from: Mailbox
    /// Where replies go, when not to `from`.
    package var replyTo: Mailbox?
    /// The single recipient (the lead).
    package var to: Mailbox
    /// The subject line; any Unicode text. CR/LF inside becomes a space; other control characters are refused.
    package var subject: String
    /// The moment written in the `Date` header (the composer never reads a clock).
    package var date: Date
    /// The Message-ID, also the seed of the MIME boundary.
    package var messageID: MessageID
    /// The plain-text body; any line-ending style.
    package var textBody: String
    /// The HTML alternative; `nil` or empty sends text only.
    package var htmlBody: String?
    /// Headers written after the MIME headers, in order (e.g. `List-Unsubscribe`).
    package var extraHeaders: [HeaderField]

    /// Makes a message from its parts.
    package init(
        from: Mailbox, replyTo: Mailbox? = nil, to: Mailbox, subject: String, date: Date, messageID: MessageID,
        textBody: String, htmlBody: String? = nil, extraHeaders: [HeaderField] = []
    ) {
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.extraHeaders = extraHeaders
    }
}
