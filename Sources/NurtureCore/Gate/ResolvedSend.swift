/// Everything a send needs that was resolved once by the checks, so rendering only renders.
package struct ResolvedSend: Sendable {
    /// The sequence and its step.
    package var sequence: EmailSequence
    package var step: SequenceStep
    /// Who the message is from (never ``SenderIdentity/held(_:)``).
    package var identity: SenderIdentity
    /// The From mailbox (``SenderIdentity/from``).
    package var from: Mailbox
    /// The lead's owner, when a configured salesperson.
    package var owner: Salesperson?
    /// The zone the window was read in (the template's `lead.time_zone`).
    package var timeZone: String
    /// The zone of the `Date` header: the owner's for sales mail, else the default.
    package var senderTimeZone: String
    /// The one-click unsubscribe link (marketing only).
    package var unsubscribeURL: String?
    /// The Message-ID planned with the row.
    package var messageID: MessageID
    /// Overdue (catching up after downtime): it takes a catch-up pacing slot.
    package var overdue: Bool

    /// Makes a resolved send.
    package init(
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
