/// What is known about one qualification criterion.
public enum CriterionStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The criterion is met.
    case yes
    /// The criterion is not met.
    case no
    /// Nobody knows yet.
    case unknown

    /// `yes`, `no` or `unknown`.
    public var description: String { rawValue }
}
