package import Foundation

/// What a finished transfer leads to: how its row is recorded, what follows, and what changes about the relay.
package struct OutcomeDecision: Sendable, Hashable {
    /// How the row is recorded.
    package enum Record: Sendable, Hashable {
        /// `sent`; the next step is planned.
        case sent
        /// `deferred` until `until` (a retry, or the relay's pause); the reason says why.
        case deferred(until: Date, OutcomeReason)
        /// `failed`; with `planNext` the sequence goes on, without it (a bounce) it does not.
        case failed(OutcomeReason, planNext: Bool)
        /// `unknown`, not resent; the next step is planned.
        case unknown(OutcomeReason)
    }

    /// What the transfer changed about its relay's pause.
    package enum RelayChange: Sendable, Hashable {
        case none
        /// A relay-level refusal paused the relay (`started`) or met the pause (a refused probe extends it).
        case paused(RelayPause, started: Bool)
        /// The relay took a message past MAIL FROM: the pause (the one that ended) is over.
        case resumed(RelayPause)
        /// A probe proved nothing (a temporary failure, a lost connection): the next probe after the same wait.
        case probeInconclusive(RelayPause)
    }

    /// How the row is recorded.
    package var record: Record
    /// The recipient is marked bounced and suppressed once the record commits.
    package var bouncesRecipient: Bool
    /// What changes about the relay's pause.
    package var relay: RelayChange
    /// What the operator should do about a relay-level refusal that paused the relay; `nil` otherwise.
    package var relayFix: String?
    /// The send counts against the rate limits from now on (accepted, or maybe delivered: unknown).
    package var countsAsSent: Bool

    /// The row's state.
    package var state: SendState {
        switch record {
        case .sent: .sent
        case .deferred: .deferred
        case .failed: .failed
        case .unknown: .unknown
        }
    }

    /// The reason recorded with the row; `nil` for a sent one.
    package var reason: OutcomeReason? {
        switch record {
        case .sent: nil
        case .deferred(_, let reason), .failed(let reason, _), .unknown(let reason): reason
        }
    }

    package init(
        record: Record, bouncesRecipient: Bool = false, relay: RelayChange = .none, relayFix: String? = nil,
        countsAsSent: Bool
    ) {
        self.record = record
        self.bouncesRecipient = bouncesRecipient
        self.relay = relay
        self.relayFix = relayFix
        self.countsAsSent = countsAsSent
    }
}
