/// The stable kind of a reason a send was held, skipped, cancelled, retried or failed: what `why`, `/metrics`,
/// `status` and the catch-up pacing read (never the prose). Persisted in its own column next to the prose
/// (`planned_sends.reason_kind`, `send_log.reason_kind`); the raw values never change once released.
///
/// Rows written before the kinds existed carry the kind the store's migration derived from their prose, or
/// none (`nil`, "unclassified").
package enum ReasonKind: String, Sendable, Hashable, CaseIterable, Codable {
    // MARK: Holds (``HoldReason``)

    /// Outside the sequence's send window; waits for its next opening.
    case outsideWindow = "outside_window"
    /// The sequence's send window never opens (no day or no hours).
    case windowNeverOpens = "window_never_opens"
    /// A sales-track step for a lead nobody owns.
    case noOwner = "no_owner"
    /// The lead's owner is not a configured salesperson.
    case unknownOwner = "unknown_owner"
    /// At most one email per lead every `limits.per_lead_min_gap`.
    case leadGap = "lead_gap"
    /// A sender, domain or global rate limit is reached.
    case rateLimit = "rate_limit"
    /// Catch-up pacing after downtime.
    case catchUp = "catch_up"
    /// The relay is paused after a relay-level refusal.
    case relayPaused = "relay_paused"
    /// The step's template cannot be rendered for this lead.
    case templateError = "template_error"
    /// The store refused the checks before the send.
    case storeError = "store_error"
    /// The enrollment is paused until the lead is back (an automatic out-of-office reply).
    case outOfOffice = "out-of-office"

    // MARK: Skips (``SkipReason``)

    /// The step's condition no longer holds for the lead.
    case conditionNotMet = "condition_not_met"
    /// Later than the sequence's maximum lateness.
    case tooLate = "too_late"

    // MARK: Cancellations (``CancelReason``)

    /// The lead no longer exists.
    case leadGone = "lead_gone"
    /// The enrollment has ended.
    case enrollmentEnded = "enrollment_ended"
    /// The sequence was removed from the configuration.
    case sequenceRemoved = "sequence_removed"
    /// The step was removed from its sequence.
    case stepRemoved = "step_removed"
    /// The lead unsubscribed.
    case unsubscribed
    /// The lead's address bounced.
    case bounced
    /// The lead is in a stage that receives nothing.
    case terminalStage = "terminal_stage"
    /// The address is on the suppression list.
    case suppressed
    /// The row's stored Message-ID is not valid.
    case invalidMessageID = "invalid_message_id"

    // MARK: Outcomes (``OutcomeReason``)

    /// A temporary failure; the next attempt is planned.
    case retrying
    /// Still failing after `give_up_after`.
    case gaveUp = "gave_up"
    /// The recipient's address was refused for good; the lead is suppressed as bounced.
    case recipientBounced = "recipient_bounced"
    /// This one message was refused; the lead stays mailable.
    case messageRefused = "message_refused"
    /// The transfer's outcome is unknown and it is not resent.
    case outcomeUnknown = "outcome_unknown"
}

/// A reason with a stable kind and operator prose derived from it.
package protocol SendReason: Sendable, CustomStringConvertible {
    /// The stable kind persisted with the prose.
    var kind: ReasonKind { get }
}
