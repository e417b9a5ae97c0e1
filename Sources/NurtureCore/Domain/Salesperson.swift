/// A salesperson from the configuration: the identity sales-track mail is sent under.
///
/// A salesperson's own SMTP relay, when configured, lives in the configuration next to this value
/// (`NurtureConfiguration.salespersonRelays`), because relay settings belong to the transport module.
public struct Salesperson: Sendable, Hashable, Identifiable {
    /// Stable id used as a lead's `owner`, e.g. `priya`.
    public var id: String
    /// Full display name, e.g. `Priya Raman`.
    public var name: String
    /// The address mail is sent From and replies go to.
    public var email: EmailAddress
    /// Job title for the signature.
    public var title: String
    /// Phone number for the signature, as it should be printed.
    public var phone: String?
    /// A link where leads can book a meeting.
    public var bookingURL: String?
    /// The name of the signature partial appended to their mail (`signature` unless configured).
    public var signature: String
    /// Their IANA time zone, used for their leads that have none.
    public var timeZone: String?
    /// How many emails may go out under their name per day; `nil` uses the configured default.
    public var dailyLimit: Int?
    /// Relative share of round-robin assignments (1 unless configured; 0 takes none).
    public var weight: Int
    /// Away (holiday, leave): skipped by round-robin; their existing leads keep them as owner.
    public var isAway: Bool

    /// Makes a salesperson.
    public init(
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
    public var firstName: String {
        String(name.split(separator: " ", omittingEmptySubsequences: true).first ?? Substring(name))
    }

    /// Their name and address as a mailbox for `From` and `Reply-To`.
    public var mailbox: Mailbox { Mailbox(displayName: name, address: email) }
}
