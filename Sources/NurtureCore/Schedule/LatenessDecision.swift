/// How late a step is when it could go out.
package enum LatenessDecision: Sendable, Hashable {
    /// At or before its due time.
    case onTime
    /// Later than due but within the sequence's maximum lateness: send it.
    case late(Duration)
    /// Later than the maximum: skip the step rather than send it out of order; the reason says why.
    case tooLate(reason: String)
}
