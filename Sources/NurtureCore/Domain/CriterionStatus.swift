/// What is known about one qualification criterion.
package enum CriterionStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The criterion is met.
    case yes
    /// The criterion is not met.
    case no
    /// Nobody knows yet.
    case unknown

    /// `yes`, `no` or `unknown`.
    package var description: String { rawValue }
}
