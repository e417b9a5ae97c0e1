/// A display name and an address, as in `From: "Ada Lovelace" <ada@example.com>`.
public struct Mailbox: Sendable, Hashable, CustomStringConvertible {
    /// The human-readable name, or `nil` for a bare address. Any Unicode text; the composer encodes it.
    public var displayName: String?
    /// The validated address.
    public var address: EmailAddress

    /// Makes a mailbox from a name and an already validated address.
    public init(displayName: String? = nil, address: EmailAddress) {
        self.displayName = displayName
        self.address = address
    }

    /// `Name <local@domain>` for logs and messages to people (not header encoding).
    public var description: String {
        if let displayName, !displayName.isEmpty { return "\(displayName) <\(address)>" }
        return address.description
    }
}
