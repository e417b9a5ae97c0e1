package import NurtureCore

/// The SMTP envelope of one transaction: one sender, exactly one recipient.
///
/// Both are ``EmailAddress`` values, so they were validated (no CR, LF, `<`, `>` or spaces) before they
/// can reach an SMTP command line.
package struct Envelope: Sendable, Hashable {
    /// `MAIL FROM`: where bounces go.
    package var sender: EmailAddress
    /// `RCPT TO`: the one recipient. One recipient per transaction keeps each reply attributable.
    package var recipient: EmailAddress

    /// Makes an envelope.
    package init(sender: EmailAddress, recipient: EmailAddress) {
        self.sender = sender
        self.recipient = recipient
    }
}
