package import Foundation

/// How late a drip step may still go out: a step more than ``maxLateness`` late is skipped, not
/// sent out of order (no "day 1" email after "day 2").
package struct Lateness: Sendable, Hashable {
    /// The most a step may be late and still be sent; exactly this late is still sent.
    package var maxLateness: Duration

    /// Makes a lateness rule; the default is 2 days.
    package init(maxLateness: Duration = .seconds(2 * 86_400)) {
        self.maxLateness = maxLateness
    }

    /// How late a step due at `dueAt` is at `now`.
    package func decide(dueAt: Date, now: Date) -> LatenessDecision {
        let late = ScheduleTime.duration(from: dueAt, to: now)
        if late <= .zero { return .onTime }
        if late <= maxLateness { return .late(late) }
        return .tooLate(
            reason: "too late: due \(ScheduleTime.describe(dueAt)), now \(ScheduleTime.describe(late)) late "
                + "(max_lateness \(ScheduleTime.describe(maxLateness))); skipped rather than sent out of order")
    }
}
