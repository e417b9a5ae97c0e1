/// What an incoming message is. Decided by ``InboundClassifier`` from the raw bytes alone.
package enum InboundClassification: Sendable, Hashable {
    /// A delivery report (RFC 3464 or a non-standard bounce): the address failed, for good or for now.
    case bounce(Bounce)
    /// A complaint (RFC 5965 ARF, or a report that only returns our message).
    case complaint(Complaint)
    /// An automatic reply (RFC 3834 and the de-facto markers): out of office, with the return date when one can be
    /// read. Never a human reply.
    case autoReply(AutoReply)
    /// A human reply asking to stop ("unsubscribe", "remove me", "stop").
    case optOut
    /// Any other human reply.
    case reply
    /// None of these (newsletters, notifications, unreadable mail): nothing is done.
    case unrelated

    /// The stable kind, as stored and counted.
    package var kind: InboundKind {
        switch self {
        case .bounce(let bounce): bounce.severity == .hard ? .hardBounce : .softBounce
        case .complaint: .complaint
        case .autoReply: .autoReply
        case .optOut: .optOut
        case .reply: .reply
        case .unrelated: .unrelated
        }
    }

    /// A delivery report.
    package struct Bounce: Sendable, Hashable {
        /// Hard: the address is gone (5.x.x, or a permanent failure in words). Soft: try again later (4.x.x,
        /// mailbox full, delayed).
        package enum Severity: String, Sendable, Hashable { case hard, soft }

        package var severity: Severity
        /// The enhanced status code (`5.1.1`), when the report gives one.
        package var status: String?
        /// The remote server's words (`Diagnostic-Code`, or the quoted SMTP reply).
        package var diagnostic: String?
        /// The failed recipient (`Final-Recipient`, `Original-Recipient`, `X-Failed-Recipients`), lowercased.
        package var recipient: String?
        /// The `Message-ID` of our returned message, without angle brackets, when the report includes it.
        package var originalMessageID: String?
        /// Which format was read: `rfc3464`, `postfix`, `exim`, `qmail`, `sendmail`, `exchange`, `gmail`, ...
        package var format: String

        package init(
            severity: Severity, status: String? = nil, diagnostic: String? = nil, recipient: String? = nil,
            originalMessageID: String? = nil, format: String
        ) {
            self.severity = severity
            self.status = status
            self.diagnostic = diagnostic
            self.recipient = recipient
            self.originalMessageID = originalMessageID
            self.format = format
        }
    }

    /// A complaint.
    package struct Complaint: Sendable, Hashable {
        /// ARF `Feedback-Type` (`abuse`, ...), when given.
        package var feedbackType: String?
        /// The complaining recipient (ARF `Original-Rcpt-To`, or the returned message's `To`), lowercased.
        package var recipient: String?
        /// The `Message-ID` of our returned message, without angle brackets.
        package var originalMessageID: String?

        package init(feedbackType: String? = nil, recipient: String? = nil, originalMessageID: String? = nil) {
            self.feedbackType = feedbackType
            self.recipient = recipient
            self.originalMessageID = originalMessageID
        }
    }

    /// An automatic reply.
    package struct AutoReply: Sendable, Hashable {
        /// The first day the sender says they are back, when it can be read (in the sender's calendar).
        package var returnDate: LocalDate?

        package init(returnDate: LocalDate? = nil) {
            self.returnDate = returnDate
        }
    }
}

/// The stable kind of an incoming message, stored with it (`inbound_messages.kind`) and used as a metrics label.
package enum InboundKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case hardBounce = "hard-bounce"
    case softBounce = "soft-bounce"
    case complaint
    case autoReply = "auto-reply"
    case optOut = "opt-out"
    case reply
    case unrelated

    package var description: String { rawValue }
}
