package import Foundation

/// What to do with a send after a temporary failure.
package enum RetryDecision: Sendable, Hashable {
    /// Try again at this time (the Message-ID stays the same).
    case retry(at: Date)
    /// Stop trying; the reason says why, in words an operator can act on.
    case giveUp(reason: String)
}
