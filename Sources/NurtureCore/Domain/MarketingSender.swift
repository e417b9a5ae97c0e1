/// The company's marketing identity: who marketing-track mail is From, and where replies go.
public struct MarketingSender: Sendable, Hashable {
    /// Display name, e.g. `Acme Analytics`.
    public var name: String
    /// The From address.
    public var address: EmailAddress
    /// Where replies go, when not to ``address``.
    public var replyTo: EmailAddress?

    /// Makes a sender.
    public init(name: String, address: EmailAddress, replyTo: EmailAddress? = nil) {
        self.name = name
        self.address = address
        self.replyTo = replyTo
    }

    /// The From mailbox.
    public var mailbox: Mailbox { Mailbox(displayName: name, address: address) }
}
