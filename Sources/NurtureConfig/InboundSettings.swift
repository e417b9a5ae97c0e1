package import NurtureCore
package import NurtureSMTP

/// The `inbound:` section: which mailboxes the daemon watches, the VERP envelope sender, and how incoming mail
/// acts on leads. Absent: no mailbox is watched and the envelope sender is the From address, as before.
package struct InboundSettings: Sendable {
    /// The watched mailboxes, in configuration order.
    package var mailboxes: [WatchedMailbox]
    /// The VERP envelope sender, when configured.
    package var verp: VERPCodec?
    /// How incoming mail acts on leads.
    package var policy: InboundPolicy
    /// A sentence appended to every sales-track email (`sales_opt_out_sentence`), e.g. "If you'd rather not hear
    /// from me again, just reply \"stop\"."; `nil`: none.
    package var salesOptOutSentence: String?

    package init(
        mailboxes: [WatchedMailbox] = [], verp: VERPCodec? = nil, policy: InboundPolicy = InboundPolicy(),
        salesOptOutSentence: String? = nil
    ) {
        self.mailboxes = mailboxes
        self.verp = verp
        self.policy = policy
        self.salesOptOutSentence = salesOptOutSentence
    }
}

/// One watched mailbox: how to reach it, how often to poll it, and whose it is.
package struct WatchedMailbox: Sendable {
    package var settings: MailboxSettings
    /// Time between polls (default 60 s).
    package var pollInterval: Duration
    /// The salesperson whose mailbox it is; `nil` for the marketing reply/bounce mailbox.
    package var owner: String?

    package init(settings: MailboxSettings, pollInterval: Duration = .seconds(60), owner: String? = nil) {
        self.settings = settings
        self.pollInterval = pollInterval
        self.owner = owner
    }

    /// The mailbox's configured name.
    package var name: String { settings.name }
}
