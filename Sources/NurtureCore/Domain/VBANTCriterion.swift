/// One of the five VBANT qualification criteria.
package enum VBANTCriterion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// They see what the product would change for them.
    case vision
    /// They can pay for it.
    case budget
    /// They have the problem the product solves.
    case need
    /// The contact can decide, or reaches who does.
    case authority
    /// They intend to act soon.
    case timeframe

    /// The criterion's name as written in configuration and lead files, e.g. `budget`.
    package var description: String { rawValue }
}
