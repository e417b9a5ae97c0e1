public import Foundation

/// What is known about one finished transfer when ``OutcomePolicy/decide(_:policy:now:)`` runs.
public struct OutcomeFacts: Sendable {
    /// The outcome class.
    public var result: DeliveryResult
    /// The reply as the refusal rules read it; `nil` when no reply was read.
    public var refusal: SMTPRefusal?
    /// The phase the last reply answered, when known.
    public var phase: SMTPPhase?
    /// The reply line for the operator, `nil` when none was read.
    public var reply: String?
    /// The transport's explanation when the transfer did not complete (`curl 28: ...`).
    public var transportDetail: String?
    /// The whole outcome in one line (`deferred: 421 ...`), for messages that quote it.
    public var summary: String
    /// This attempt's number (from 1).
    public var attempt: Int
    /// When the send was due (the retry deadline counts from it).
    public var dueAt: Date
    /// Found at start-up from the transfer journal of a daemon that stopped, not from a live transfer.
    public var recovered: Bool
    /// The relay's pause as the transfer ended, and whether this transfer was the probe; `nil` when pauses are
    /// not tracked for this outcome (start-up recovery).
    public var relay: RelayState?

    /// The pause of the relay a transfer went through.
    public struct RelayState: Sendable, Hashable {
        /// The relay's name (the pause's key).
        public var name: String
        /// Its pause, `nil` when not paused.
        public var pause: RelayPause?
        /// This transfer was the probe of a paused relay.
        public var probe: Bool

        public init(name: String, pause: RelayPause?, probe: Bool) {
            self.name = name
            self.pause = pause
            self.probe = probe
        }
    }

    /// Makes facts.
    public init(
        result: DeliveryResult, refusal: SMTPRefusal?, phase: SMTPPhase?, reply: String?, transportDetail: String?,
        summary: String, attempt: Int, dueAt: Date, recovered: Bool = false, relay: RelayState? = nil
    ) {
        self.result = result
        self.refusal = refusal
        self.phase = phase
        self.reply = reply
        self.transportDetail = transportDetail
        self.summary = summary
        self.attempt = attempt
        self.dueAt = dueAt
        self.recovered = recovered
        self.relay = relay
    }
}

/// What a finished transfer leads to: how its row is recorded, what follows, and what changes about the relay.
public struct OutcomeDecision: Sendable, Hashable {
    /// How the row is recorded.
    public enum Record: Sendable, Hashable {
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
    public enum RelayChange: Sendable, Hashable {
        case none
        /// A relay-level refusal paused the relay (`started`) or met the pause (a refused probe extends it).
        case paused(RelayPause, started: Bool)
        /// The relay took a message past MAIL FROM: the pause (the one that ended) is over.
        case resumed(RelayPause)
        /// A probe proved nothing (a temporary failure, a lost connection): the next probe after the same wait.
        case probeInconclusive(RelayPause)
    }

    /// How the row is recorded.
    public var record: Record
    /// The recipient is marked bounced and suppressed once the record commits.
    public var bouncesRecipient: Bool
    /// What changes about the relay's pause.
    public var relay: RelayChange
    /// What the operator should do about a relay-level refusal that paused the relay; `nil` otherwise.
    public var relayFix: String?
    /// The send counts against the rate limits from now on (accepted, or maybe delivered: unknown).
    public var countsAsSent: Bool

    /// The row's state.
    public var state: SendState {
        switch record {
        case .sent: .sent
        case .deferred: .deferred
        case .failed: .failed
        case .unknown: .unknown
        }
    }

    /// The reason recorded with the row; `nil` for a sent one.
    public var reason: OutcomeReason? {
        switch record {
        case .sent: nil
        case .deferred(_, let reason), .failed(let reason, _), .unknown(let reason): reason
        }
    }

    public init(
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
