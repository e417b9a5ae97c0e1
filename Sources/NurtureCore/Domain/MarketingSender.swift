/// The company's marketing identity: who marketing-track mail is From, and where replies go.
package struct MarketingSender: Sendable, Hashable {
    /// Display name, e.g. `Acme Analytics`.
    package var name: String
    /// The From address.
    package var address: EmailAddress
    /// Where replies go, when not to ``address``.
    package var replyTo: EmailAddress?

    /// Makes a sender.
    package init(name: String, address: EmailAddress, replyTo: EmailAddress? = nil) {
        self.name = name
        self.address = address
        self.replyTo = replyTo
    }

    /// The From mailbox.
    package var mailbox: Mailbox { Mailbox(displayName: name, address: address) }
}
