/// How a lead first came into contact with the company.
public enum LeadSource: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// They came to us: a form, a reply, a signup.
    case inbound
    /// A salesperson reached out first.
    case outbound

    /// `inbound` or `outbound`.
    public var description: String { rawValue }
}
