/// Ties an incoming message to a send or a lead, trying the rules in order: VERP token, ledger Message-ID
/// (`In-Reply-To`, `References`, the returned message's `Message-ID`), the sender's address (a lead with an
/// active enrollment), the reported recipient. Pure: ``query(_:verp:)`` says what to look up, the caller reads
/// it from the store, ``attribute(_:query:facts:)`` decides.
package enum InboundAttribution {
    /// What to look up for one message.
    package struct Query: Sendable, Hashable {
        /// Send ids named by a valid VERP token among the recipients.
        package var verpSendIDs: [Int64]
        /// Message ids that may be ledger Message-IDs (without angle brackets).
        package var messageIDs: [String]
        /// The sender's address.
        package var sender: EmailAddress?
        /// A delivery report's or complaint's recipient.
        package var reportedRecipient: EmailAddress?

        package init(
            verpSendIDs: [Int64] = [], messageIDs: [String] = [], sender: EmailAddress? = nil,
            reportedRecipient: EmailAddress? = nil
        ) {
            self.verpSendIDs = verpSendIDs
            self.messageIDs = messageIDs
            self.sender = sender
            self.reportedRecipient = reportedRecipient
        }

        /// The lead addresses to read (sender, reported recipient).
        package var addresses: [EmailAddress] { [sender, reportedRecipient].compactMap(\.self) }
    }

    /// What the store said about a query.
    package struct Facts: Sendable, Hashable {
        /// The sends found by id (VERP) or Message-ID.
        package var sends: [PlannedSend]
        /// The leads found among ``Query/addresses``.
        package var leads: [Lead]
        /// Which of those leads have an active enrollment.
        package var activeLeads: Set<EmailAddress>

        package init(sends: [PlannedSend] = [], leads: [Lead] = [], activeLeads: Set<EmailAddress> = []) {
            self.sends = sends
            self.leads = leads
            self.activeLeads = activeLeads
        }
    }

    /// What to look up for `reading`.
    package static func query(_ reading: InboundReading, verp: VERPCodec?) -> Query {
        Query()  // Contract placeholder (issue 14).
    }

    /// The first rule that ties `reading` to a lead, or `nil`.
    package static func attribute(_ reading: InboundReading, query: Query, facts: Facts) -> Attribution? {
        nil  // Contract placeholder (issue 14).
    }
}
