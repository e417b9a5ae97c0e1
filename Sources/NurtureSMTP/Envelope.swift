public import NurtureCore

/// The SMTP envelope of one transaction: one sender, exactly one recipient.
///
/// Both are ``EmailAddress`` values, so they were validated (no CR, LF, `<`, `>` or spaces) before they
/// can reach an SMTP command line.
public struct Envelope: Sendable, Hashable {
    /// `MAIL FROM`: where bounces go.
    public var sender: EmailAddress
    /// `RCPT TO`: the one recipient. One recipient per transaction keeps each reply attributable.
    public var recipient: EmailAddress

    /// Makes an envelope.
    public init(sender: EmailAddress, recipient: EmailAddress) {
        self.sender = sender
        self.recipient = recipient
    }
}
