/// How a lead first came into contact with the company.
package enum LeadSource: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// They came to us: a form, a reply, a signup.
    case inbound
    /// A salesperson reached out first.
    case outbound

    /// `inbound` or `outbound`.
    package var description: String { rawValue }
}
