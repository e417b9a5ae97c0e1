/// Everything a send needs that was resolved once by the checks, so rendering only renders.
public struct ResolvedSend: Sendable {
    /// The sequence and its step.
    public var sequence: EmailSequence
    public var step: SequenceStep
    /// Who the message is from (never ``SenderIdentity/held(_:)``).
    public var identity: SenderIdentity
    /// The From mailbox (``SenderIdentity/from``).
    public var from: Mailbox
    /// The lead's owner, when a configured salesperson.
    public var owner: Salesperson?
    /// The zone the window was read in (the template's `lead.time_zone`).
    public var timeZone: String
    /// The zone of the `Date` header: the owner's for sales mail, else the default.
    public var senderTimeZone: String
    /// The one-click unsubscribe link (marketing only).
    public var unsubscribeURL: String?
    /// The Message-ID planned with the row.
    public var messageID: MessageID
    /// Overdue (catching up after downtime): it takes a catch-up pacing slot.
    public var overdue: Bool

    /// Makes a resolved send.
    public init(
        sequence: EmailSequence, step: SequenceStep, identity: SenderIdentity, from: Mailbox, owner: Salesperson?,
        timeZone: String, senderTimeZone: String, unsubscribeURL: String?, messageID: MessageID, overdue: Bool
    ) {
        self.sequence = sequence
        self.step = step
        self.identity = identity
        self.from = from
        self.owner = owner
        self.timeZone = timeZone
        self.senderTimeZone = senderTimeZone
        self.unsubscribeURL = unsubscribeURL
        self.messageID = messageID
        self.overdue = overdue
    }
}
