package import Foundation

/// The counts and states the last rungs of ``SendGate`` read: the lead's last send, the rate counts (with the
/// sends reserved and not yet recorded), the overdue sends of the last minute and the relay's pause.
package struct SendHistory: Sendable, Hashable {
    /// When the lead was last sent anything; `nil` when never (or when no gap is configured).
    package var lastSentToLead: Date?
    /// The rate counts for the send's sender and recipient domain.
    package var counts: RateCounts
    /// Overdue sends that went out in the last 60 seconds (catch-up pacing).
    package var overdueSentLastMinute: Int
    /// The pause of the relay the send goes through, `nil` when it is not paused.
    package var relayPause: RelayPause?

    /// Makes a history; by default nothing was sent and no relay is paused.
    package init(
        lastSentToLead: Date? = nil, counts: RateCounts = RateCounts(), overdueSentLastMinute: Int = 0,
        relayPause: RelayPause? = nil
    ) {
        self.lastSentToLead = lastSentToLead
        self.counts = counts
        self.overdueSentLastMinute = overdueSentLastMinute
        self.relayPause = relayPause
    }
}
