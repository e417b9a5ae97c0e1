package import Foundation

/// What is known about one finished transfer when ``OutcomePolicy/decide(_:policy:now:)`` runs.
package struct OutcomeFacts: Sendable {
    /// The outcome class.
    package var result: DeliveryResult
    /// The reply as the refusal rules read it; `nil` when no reply was read.
    package var refusal: SMTPRefusal?
    /// The phase the last reply answered, when known.
    package var phase: SMTPPhase?
    /// The reply line for the operator, `nil` when none was read.
    package var reply: String?
    /// The transport's explanation when the transfer did not complete (`curl 28: ...`).
    package var transportDetail: String?
    /// The whole outcome in one line (`deferred: 421 ...`), for messages that quote it.
    package var summary: String
    /// This attempt's number (from 1).
    package var attempt: Int
    /// When the send was due (the retry deadline counts from it).
    package var dueAt: Date
    /// Found at start-up from the transfer journal of a daemon that stopped, not from a live transfer.
    package var recovered: Bool
    /// The relay's pause as the transfer ended, and whether this transfer was the probe; `nil` when pauses are
    /// not tracked for this outcome (start-up recovery).
    package var relay: RelayState?

    /// The pause of the relay a transfer went through.
    package struct RelayState: Sendable, Hashable {
        /// The relay's name (the pause's key).
        package var name: String
        /// Its pause, `nil` when not paused.
        package var pause: RelayPause?
        /// This transfer was the probe of a paused relay.
        package var probe: Bool

        package init(name: String, pause: RelayPause?, probe: Bool) {
            self.name = name
            self.pause = pause
            self.probe = probe
        }
    }

    /// Makes facts.
    package init(
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
