/// Recent send counts the rate limits are checked against, read from the send log.
package struct RateCounts: Sendable, Hashable {
    /// Sends (all senders, all domains) in the last 60 seconds.
    package var lastMinute: Int
    /// Sends from the sender mailbox in question in the last 24 hours.
    package var senderLast24Hours: Int
    /// Sends to the recipient domain in question in the last hour.
    package var domainLastHour: Int

    /// Makes counts; each defaults to none.
    package init(lastMinute: Int = 0, senderLast24Hours: Int = 0, domainLastHour: Int = 0) {
        self.lastMinute = lastMinute
        self.senderLast24Hours = senderLast24Hours
        self.domainLastHour = domainLastHour
    }
}
