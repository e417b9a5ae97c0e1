/// Who an email speaks for, which decides what is appended to its body.
package enum TemplateTrack: Sendable, Hashable {
    /// Sent as the company: the `footer` partial (company, postal address, unsubscribe link) is appended.
    case marketing
    /// Sent as the lead's owner: the owner's signature partial (by default `signature`) is appended.
    case sales(signature: String = "signature")

    /// The partial appended to every body on this track.
    package var appendedPartial: String {
        switch self {
        case .marketing:
            return "footer"
        case .sales(let signature):
            return signature
        }
    }
}
