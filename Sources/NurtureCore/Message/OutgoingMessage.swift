public import Foundation

/// Everything needed to compose one email; plain data, no I/O.
public struct OutgoingMessage: Sendable, Equatable {
    /// The sender shown in `From`.
    public var from: Mailbox
    /// Where replies go, when not to `from`.
    public var replyTo: Mailbox?
    /// The single recipient (the lead).
    public var to: Mailbox
    /// The subject line; any Unicode text. CR/LF inside becomes a space; other control characters are refused.
    public var subject: String
    /// The moment written in the `Date` header (the composer never reads a clock).
    public var date: Date
    /// The Message-ID, also the seed of the MIME boundary.
    public var messageID: MessageID
    /// The plain-text body; any line-ending style.
    public var textBody: String
    /// The HTML alternative; `nil` or empty sends text only.
    public var htmlBody: String?
    /// Headers written after the MIME headers, in order (e.g. `List-Unsubscribe`).
    public var extraHeaders: [HeaderField]

    /// Makes a message from its parts.
    public init(
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
