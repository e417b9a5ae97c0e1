/// Who an email is From, decided by the sequence's track.
package enum SenderIdentity: Sendable, Hashable {
    /// Marketing track: the company's marketing sender.
    case marketing(MarketingSender)
    /// Sales track: the lead's own owner.
    case owner(Salesperson)
    /// Nothing may be sent yet, and why.
    case held(HoldReason)

    /// Decides the identity for one lead on one track.
    ///
    /// Sales mail is only ever sent as the lead's own owner: a lead with no owner, or an owner that is not
    /// configured, is held, never sent under another person's name.
    package static func resolve(
        track: Track, lead: Lead, marketingSender: MarketingSender, salespeople: [Salesperson]
    ) -> SenderIdentity {
        switch track {
        case .marketing:
            return .marketing(marketingSender)
        case .sales:
            guard let ownerID = lead.owner else { return .held(.noOwner) }
            guard let owner = salespeople.first(where: { $0.id == ownerID }) else {
                return .held(.unknownOwner(ownerID))
            }
            return .owner(owner)
        }
    }

    /// The From mailbox, or `nil` when held.
    package var from: Mailbox? {
        switch self {
        case .marketing(let sender): return sender.mailbox
        case .owner(let owner): return owner.mailbox
        case .held: return nil
        }
    }

    /// The Reply-To mailbox: the marketing reply-to when configured; for owners their own address.
    package var replyTo: Mailbox? {
        switch self {
        case .marketing(let sender): return sender.replyTo.map { Mailbox(displayName: sender.name, address: $0) }
        case .owner(let owner): return owner.mailbox
        case .held: return nil
        }
    }
}
