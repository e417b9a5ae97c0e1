package import Foundation

/// Limits on how fast mail goes out: in total, per sender mailbox and per recipient domain.
///
/// Each limit is reached when the count in its rolling period equals it; the send then waits.
/// The wait is a recheck time, not the exact moment a slot frees (the counts do not say when
/// the oldest send in the period leaves it):
/// - the minute limit rechecks after ``minuteRecheck`` (10 seconds),
/// - the per-domain hour limit after ``domainRecheck`` (5 minutes),
/// - the sender's day limit after ``senderRecheck`` (15 minutes).
///
/// When several limits are reached, the one with the longest recheck is reported (sender day,
/// then domain hour, then minute), since the send cannot go before it anyway.
package struct RateLimits: Sendable, Hashable {
    /// How soon a send held by ``globalPerMinute`` is looked at again.
    package static let minuteRecheck: Duration = .seconds(10)
    /// How soon a send held by ``perDomainPerHour`` is looked at again.
    package static let domainRecheck: Duration = .seconds(5 * 60)
    /// How soon a send held by the sender's daily limit is looked at again.
    package static let senderRecheck: Duration = .seconds(15 * 60)

    /// All sends in a rolling 60 seconds; `nil` for no limit.
    package var globalPerMinute: Int?
    /// Sends to one recipient domain in a rolling hour; `nil` for no limit.
    package var perDomainPerHour: Int?

    /// Makes limits; by default there are none.
    package init(globalPerMinute: Int? = nil, perDomainPerHour: Int? = nil) {
        self.globalPerMinute = globalPerMinute
        self.perDomainPerHour = perDomainPerHour
    }

    /// Whether one more send may go out now.
    ///
    /// `senderPerDay` is the sender mailbox's rolling-24-hour limit (the salesperson's daily
    /// limit or `marketing_daily`), `nil` for none; `sender` and `domain` only name them in the
    /// reason.
    package func decide(
        counts: RateCounts, senderPerDay: Int?, sender: String, domain: String, now: Date
    ) -> RateDecision {
        if let limit = senderPerDay, counts.senderLast24Hours >= limit {
            return .wait(
                until: ScheduleTime.date(now, plus: Self.senderRecheck),
                reason: "rate limit: sender \(sender) sent \(counts.senderLast24Hours) in the last 24 hours "
                    + "(daily limit \(limit))")
        }
        if let limit = perDomainPerHour, counts.domainLastHour >= limit {
            return .wait(
                until: ScheduleTime.date(now, plus: Self.domainRecheck),
                reason: "rate limit: \(counts.domainLastHour) sends to \(domain) in the last hour "
                    + "(limit \(limit) per hour)")
        }
        if let limit = globalPerMinute, counts.lastMinute >= limit {
            return .wait(
                until: ScheduleTime.date(now, plus: Self.minuteRecheck),
                reason: "rate limit: \(counts.lastMinute) sends in the last minute (limit \(limit) per minute)")
        }
        return .allow
    }
}
