/// A salesperson from the configuration: the identity sales-track mail is sent under.
///
/// A salesperson's own SMTP relay, when configured, lives in the configuration next to this value
/// (`NurtureConfiguration.salespersonRelays`), because relay settings belong to the transport module.
package struct Salesperson: Sendable, Hashable, Identifiable {
    /// Stable id used as a lead's `owner`, e.g. `priya`.
    package var id: String
    /// Full display name, e.g. `Priya Raman`.
    package var name: String
    /// The address mail is sent From and replies go to.
    package var email: EmailAddress
    /// Job title for the signature.
    package var title: String
    /// Phone number for the signature, as it should be printed.
    package var phone: String?
    /// A link where leads can book a meeting.
    package var bookingURL: String?
    /// The name of the signature partial appended to their mail (`signature` unless configured).
    package var signature: String
    /// Their IANA time zone, used for their leads that have none.
    package var timeZone: String?
    /// How many emails may go out under their name per day; `nil` uses the configured default.
    package var dailyLimit: Int?
    /// Relative share of round-robin assignments (1 unless configured; 0 takes none).
    package var weight: Int
    /// Away (holiday, leave): skipped by round-robin; their existing leads keep them as owner.
    package var isAway: Bool

    /// Makes a salesperson.
    package init(
        id: String, name: String, email: EmailAddress, title: String, phone: String? = nil,
        bookingURL: String? = nil, signature: String = "signature", timeZone: String? = nil,
        dailyLimit: Int? = nil, weight: Int = 1, isAway: Bool = false
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.title = title
        self.phone = phone
        self.bookingURL = bookingURL
        self.signature = signature
        self.timeZone = timeZone
        self.dailyLimit = dailyLimit
        self.weight = weight
        self.isAway = isAway
    }

    /// The first word of the name, e.g. `Priya`.
    package var firstName: String {
        String(name.split(separator: " ", omittingEmptySubsequences: true).first ?? Substring(name))
    }

    /// Their name and address as a mailbox for `From` and `Reply-To`.
    package var mailbox: Mailbox { Mailbox(displayName: name, address: email) }
}
