/// Which rule tied an incoming message to a send or a lead, in the order they are tried.
package enum AttributionRule: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The VERP token in the envelope recipient (`bounces+<token>@domain`) named the send.
    case verp
    /// `In-Reply-To` / `References`, or the returned message's `Message-ID`, is a ledger Message-ID.
    case messageID = "message-id"
    /// The sender is a lead with an active enrollment.
    case senderAddress = "sender-address"
    /// A delivery report's or complaint's recipient (`Final-Recipient`, `X-Failed-Recipients`) is a lead.
    case reportedRecipient = "reported-recipient"

    package var description: String { rawValue }
}

/// An incoming message tied to a lead (and, when the rule names one, a send).
package struct Attribution: Sendable, Hashable {
    package var rule: AttributionRule
    package var lead: EmailAddress
    package var sendID: Int64?

    package init(rule: AttributionRule, lead: EmailAddress, sendID: Int64? = nil) {
        self.rule = rule
        self.lead = lead
        self.sendID = sendID
    }
}
