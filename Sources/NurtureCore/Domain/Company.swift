/// The company behind the mail: what the marketing footer and templates say about it.
package struct Company: Sendable, Hashable {
    /// Name, e.g. `Acme Analytics`.
    package var name: String
    /// Website URL, e.g. `https://acme-analytics.example`.
    package var website: String
    /// Postal address printed in every marketing footer (required by anti-spam law in many countries).
    package var postalAddress: String
    /// Base of the one-click unsubscribe link, e.g. `https://acme-analytics.example/unsubscribe`.
    package var unsubscribeBaseURL: String
    /// Address for `mailto:` unsubscribe requests in `List-Unsubscribe`.
    package var unsubscribeMailbox: EmailAddress

    /// Makes a company.
    package init(
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
