/// A lead's position in its lifecycle, from first contact to customer, plus the two side exits.
package enum Stage: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Signed up for updates; nothing more known.
    case subscriber
    /// A known contact with some interest.
    case lead
    /// Engaged enough for marketing to consider them ready for more.
    case marketingQualified = "marketing-qualified"
    /// All VBANT criteria met (or judged so by a person): handed to a salesperson.
    case salesQualified = "sales-qualified"
    /// A salesperson is working a deal with them.
    case opportunity
    /// Bought; receives no nurture mail.
    case customer
    /// Not sales-ready after all: back to marketing nurture.
    case recycled
    /// Not a fit; receives no nurture mail.
    case disqualified

    /// The name used in configuration, files and logs, e.g. `sales-qualified`.
    package var description: String { rawValue }

    /// Stages that receive nothing more: `customer` and `disqualified`.
    package var isTerminal: Bool { self == .customer || self == .disqualified }

    /// Stages where the lead belongs to a salesperson: `sales-qualified` and `opportunity`.
    package var isSalesStage: Bool { self == .salesQualified || self == .opportunity }

    /// Stages from which complete VBANT qualification promotes a lead to `sales-qualified`.
    package var canAutoQualify: Bool {
        switch self {
        case .subscriber, .lead, .marketingQualified, .recycled: return true
        case .salesQualified, .opportunity, .customer, .disqualified: return false
        }
    }

    /// The stage names, comma-separated, for error messages.
    package static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
