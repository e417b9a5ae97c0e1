/// A display name and an address, as in `From: "Ada Lovelace" <ada@example.com>`.
package struct Mailbox: Sendable, Hashable, CustomStringConvertible {
    /// The human-readable name, or `nil` for a bare address. Any Unicode text; the composer encodes it.
    package var displayName: String?
    /// The validated address.
    package var address: EmailAddress

    /// Makes a mailbox from a name and an already validated address.
    package init(displayName: String? = nil, address: EmailAddress) {
        self.displayName = displayName
        self.address = address
    }

    /// `Name <local@domain>` for logs and messages to people (not header encoding).
    package var description: String {
        if let displayName, !displayName.isEmpty { return "\(displayName) <\(address)>" }
        return address.description
    }
}
