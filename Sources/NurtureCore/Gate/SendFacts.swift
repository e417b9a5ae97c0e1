public import Foundation

/// What the store and the scheduler's memory say about one claimed send, gathered before ``SendGate`` decides.
public struct SendFacts: Sendable {
    /// The claimed ledger row.
    public var row: PlannedSend
    /// The lead, `nil` when it no longer exists.
    public var lead: Lead?
    /// The row's enrollment, `nil` when it does not exist.
    public var enrollment: EnrollmentRecord?
    /// Whether the lead's address is on the suppression list.
    public var isSuppressed: Bool
    /// What the limits and pauses count; read only for a send that passes the first rungs (see
    /// ``SendGate/screen(_:policy:now:)``).
    public var history: SendHistory

    /// Makes facts.
    public init(
        row: PlannedSend, lead: Lead?, enrollment: EnrollmentRecord?, isSuppressed: Bool,
        history: SendHistory = SendHistory()
    ) {
        self.row = row
        self.lead = lead
        self.enrollment = enrollment
        self.isSuppressed = isSuppressed
        self.history = history
    }
}

/// The counts and states the last rungs of ``SendGate`` read: the lead's last send, the rate counts (with the
/// sends reserved and not yet recorded), the overdue sends of the last minute and the relay's pause.
public struct SendHistory: Sendable, Hashable {
    /// When the lead was last sent anything; `nil` when never (or when no gap is configured).
    public var lastSentToLead: Date?
    /// The rate counts for the send's sender and recipient domain.
    public var counts: RateCounts
    /// Overdue sends that went out in the last 60 seconds (catch-up pacing).
    public var overdueSentLastMinute: Int
    /// The pause of the relay the send goes through, `nil` when it is not paused.
    public var relayPause: RelayPause?

    /// Makes a history; by default nothing was sent and no relay is paused.
    public init(
        lastSentToLead: Date? = nil, counts: RateCounts = RateCounts(), overdueSentLastMinute: Int = 0,
        relayPause: RelayPause? = nil
    ) {
        self.lastSentToLead = lastSentToLead
        self.counts = counts
        self.overdueSentLastMinute = overdueSentLastMinute
        self.relayPause = relayPause
    }
}
