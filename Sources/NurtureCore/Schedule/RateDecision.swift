package import Foundation

/// Whether a send may go out now under a rate or pacing limit.
package enum RateDecision: Sendable, Hashable {
    /// Send now.
    case allow
    /// Hold the send and look again at `until`; the reason names the limit and the count.
    case wait(until: Date, reason: String)
}
