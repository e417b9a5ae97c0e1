/// The company behind the mail: what the marketing footer and templates say about it.
public struct Company: Sendable, Hashable {
    /// Name, e.g. `Acme Analytics`.
    public var name: String
    /// Website URL, e.g. `https://acme-analytics.example`.
    public var website: String
    /// Postal address printed in every marketing footer (required by anti-spam law in many countries).
    public var postalAddress: String
    /// Base of the one-click unsubscribe link, e.g. `https://acme-analytics.example/unsubscribe`.
    public var unsubscribeBaseURL: String
    /// Address for `mailto:` unsubscribe requests in `List-Unsubscribe`.
    public var unsubscribeMailbox: EmailAddress

    /// Makes a company.
    public init(
        name: String, website: String, postalAddress: String, unsubscribeBaseURL: String,
        unsubscribeMailbox: EmailAddress
    ) {
        self.name = name
        self.website = website
        self.postalAddress = postalAddress
        self.unsubscribeBaseURL = unsubscribeBaseURL
        self.unsubscribeMailbox = unsubscribeMailbox
    }
}
