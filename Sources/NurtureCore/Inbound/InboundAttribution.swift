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
    ///
    /// Message ids come in the order they are trusted: `In-Reply-To`, `References` from the newest (last) back,
    /// then the returned message's `Message-ID`; each without angle brackets and with its domain lowercased,
    /// once. The sender is looked up only for a person's mail (reply, opt-out, auto-reply): a report's `From`
    /// is the reporting server. The reported recipient is looked up only for bounces and complaints.
    package static func query(_ reading: InboundReading, verp: VERPCodec?) -> Query {
        let headers = reading.headers
        var verpIDs: [Int64] = []
        if let verp {
            for recipient in headers.recipients {
                if let id = verp.sendID(in: recipient), !verpIDs.contains(id) { verpIDs.append(id) }
            }
        }
        var candidates = headers.inReplyTo + headers.references.reversed()
        var reported: String?
        var fromPerson = false
        switch reading.classification {
        case .bounce(let bounce):
            candidates += [bounce.originalMessageID].compactMap(\.self)
            reported = bounce.recipient
        case .complaint(let complaint):
            candidates += [complaint.originalMessageID].compactMap(\.self)
            reported = complaint.recipient
        case .reply, .optOut, .autoReply:
            fromPerson = true
        case .unrelated:
            break
        }
        var messageIDs: [String] = []
        for candidate in candidates {
            if let id = normalizedMessageID(candidate), !messageIDs.contains(id) { messageIDs.append(id) }
        }
        return Query(
            verpSendIDs: verpIDs, messageIDs: messageIDs, sender: fromPerson ? headers.from : nil,
            reportedRecipient: reported.flatMap { try? EmailAddress(Self.unbracketed($0)) })
    }

    /// The first rule that ties `reading` to a lead, or `nil`.
    package static func attribute(_ reading: InboundReading, query: Query, facts: Facts) -> Attribution? {
        for id in query.verpSendIDs {
            if let send = facts.sends.first(where: { $0.id == id }) {
                return Attribution(rule: .verp, lead: send.leadEmail, sendID: send.id)
            }
        }
        for id in query.messageIDs.compactMap(normalizedMessageID) {
            if let send = facts.sends.first(where: { normalizedMessageID($0.messageID) == id }) {
                return Attribution(rule: .messageID, lead: send.leadEmail, sendID: send.id)
            }
        }
        if let sender = query.sender, let lead = lead(sender, in: facts.leads),
            facts.activeLeads.contains(where: { sameAddress($0, lead.email) })
        {
            return Attribution(rule: .senderAddress, lead: lead.email)
        }
        if let recipient = query.reportedRecipient, let lead = lead(recipient, in: facts.leads) {
            return Attribution(rule: .reportedRecipient, lead: lead.email)
        }
        return nil
    }

    /// A message id as the ledger is searched for it: without surrounding space and angle brackets, its domain
    /// (right of the last `@`) lowercased; `nil` when nothing is left or it has no `@`.
    package static func normalizedMessageID(_ text: String) -> String? {
        let bare = unbracketed(text)
        guard let at = bare.lastIndex(of: "@"), at != bare.startIndex, bare.index(after: at) != bare.endIndex,
            !bare.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { return nil }
        return String(bare[...at]) + bare[bare.index(after: at)...].lowercased()
    }

    private static func unbracketed(_ text: String) -> String {
        var bare = Substring(text.trimmingASCIIWhitespace())
        if bare.hasPrefix("<"), bare.hasSuffix(">"), bare.count >= 2 { bare = bare.dropFirst().dropLast() }
        return String(bare).trimmingASCIIWhitespace()
    }

    /// The lead with `address`, compared without regard to case (addresses in mail are lowercased).
    private static func lead(_ address: EmailAddress, in leads: [Lead]) -> Lead? {
        leads.first { sameAddress($0.email, address) }
    }

    private static func sameAddress(_ lhs: EmailAddress, _ rhs: EmailAddress) -> Bool {
        lhs.description.lowercased() == rhs.description.lowercased()
    }
}
