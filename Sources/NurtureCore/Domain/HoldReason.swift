/// Why mail for a lead is held instead of sent; shown to operators as `held: <reason>`.
public enum HoldReason: Sendable, Hashable, CustomStringConvertible {
    /// A sales-track step for a lead nobody owns (round-robin off, or everyone away).
    case noOwner
    /// The lead's owner is not among the configured salespeople.
    case unknownOwner(String)

    /// E.g. `held: no owner; assign one with ...`.
    public var description: String {
        switch self {
        case .noOwner:
            return "held: no owner; assign a salesperson to the lead, or enable options.round_robin"
                + " (and make sure someone is not away)"
        case .unknownOwner(let id):
            return "held: owner `\(id)` is not a configured salesperson; add them under salespeople,"
                + " or assign the lead to someone who is"
        }
    }
}
