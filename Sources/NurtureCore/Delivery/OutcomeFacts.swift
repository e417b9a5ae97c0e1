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
