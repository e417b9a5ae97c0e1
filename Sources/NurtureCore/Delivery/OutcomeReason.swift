package import Foundation

/// Why a send that reached the relay was retried, failed or left unknown; the prose is derived from the case.
package enum OutcomeReason: SendReason, Hashable {
    /// A temporary failure (`detail` says which); the next attempt is at `next`.
    case retrying(String, next: Date)
    /// Given up after retrying (``RetryPolicy``'s words).
    case gaveUp(String)
    /// The recipient's address was refused for good (`refusal`); the lead is suppressed as bounced.
    case recipientBounced(refusal: String)
    /// This message was refused (`refusal`); the lead stays mailable.
    case messageRefused(refusal: String)
    /// The outcome is unknown (`cause`) and, under `scheduling.unknown_outcome: hold`, not resent.
    case outcomeUnknown(cause: String)
    /// The relay refused at the relay level: the send waits for the pause.
    case relayPaused(RelayPause)

    package var kind: ReasonKind {
        switch self {
        case .retrying: .retrying
        case .gaveUp: .gaveUp
        case .recipientBounced: .recipientBounced
        case .messageRefused: .messageRefused
        case .outcomeUnknown: .outcomeUnknown
        case .relayPaused: .relayPaused
        }
    }

    package var description: String {
        switch self {
        case .retrying(let detail, let next): "\(detail); next attempt \(ScheduleTime.describe(next))"
        case .gaveUp(let reason): reason
        case .recipientBounced(let refusal): "permanent failure: \(refusal); the address is suppressed as bounced"
        case .messageRefused(let refusal):
            "this message was refused: \(refusal); the lead stays mailable and its sequence goes on"
        case .outcomeUnknown(let cause):
            "outcome unknown: \(cause); not resent (scheduling.unknown_outcome is hold); the sequence continues"
        case .relayPaused(let pause): pause.holdReason
        }
    }
}
