package import Foundation

/// After downtime, overdue sends are spread out instead of burst: at most ``perMinute`` sends
/// that are overdue by more than ``threshold`` go out in any rolling minute.
///
/// Sends overdue by ``threshold`` or less are not paced. A paced send is looked at again after
/// ``recheck`` (10 seconds), the same as the global minute limit.
package struct CatchUpPacing: Sendable, Hashable {
    /// How soon a paced send is looked at again.
    package static let recheck: Duration = .seconds(10)

    /// How overdue a send must be (more than this) to count as catching up.
    package var threshold: Duration
    /// Overdue sends allowed per rolling minute.
    package var perMinute: Int

    /// Makes a pacing rule; by default sends more than 60 seconds overdue go out at 60 a minute.
    package init(threshold: Duration = .seconds(60), perMinute: Int = 60) {
        self.threshold = threshold
        self.perMinute = perMinute
    }

    /// Whether a send due at `dueAt` may go out at `now`.
    ///
    /// `overdueSentLastMinute` = how many overdue sends went out in the last 60 s.
    package func decide(dueAt: Date, now: Date, overdueSentLastMinute: Int) -> RateDecision {
        let overdue = ScheduleTime.duration(from: dueAt, to: now)
        guard overdue > threshold, overdueSentLastMinute >= perMinute else { return .allow }
        return .wait(
            until: ScheduleTime.date(now, plus: Self.recheck),
            reason: "catching up: \(overdueSentLastMinute) overdue sends in the last minute "
                + "(limit \(perMinute) per minute); this one is \(ScheduleTime.describe(overdue)) overdue")
    }
}
