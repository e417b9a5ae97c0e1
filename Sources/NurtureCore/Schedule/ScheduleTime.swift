package import Foundation

/// Date and duration arithmetic shared by the scheduling policies.
///
/// Policies take the current time as a parameter; these helpers only convert between `Date`
/// (wall-clock seconds as `Double`) and `Duration` (exact seconds and attoseconds).
package enum ScheduleTime {
    /// `date` moved forward by `duration` (backward when it is negative).
    package static func date(_ date: Date, plus duration: Duration) -> Date {
        date.addingTimeInterval(seconds(duration))
    }

    /// The time from `start` to `end`, negative when `end` is earlier; rounded to milliseconds.
    package static func duration(from start: Date, to end: Date) -> Duration {
        let milliseconds = (end.timeIntervalSince(start) * 1_000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 9e15 else {
            return milliseconds < 0 ? .seconds(Int64.min / 1_000) : .seconds(Int64.max / 1_000)
        }
        return .milliseconds(Int64(milliseconds))
    }

    /// A duration as seconds, with its fraction.
    package static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// A duration in words an operator reads at a glance: its largest unit and the next one down
    /// when not zero, e.g. `2d 3h`, `2d`, `1h 30m`, `45m`, `20s`; `0s` for zero or less.
    package static func describe(_ duration: Duration) -> String {
        let total = max(0, duration.components.seconds)
        let units: [(name: String, size: Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        guard let index = units.firstIndex(where: { total >= $0.size }) else { return "0s" }
        let unit = units[index]
        var text = "\(total / unit.size)\(unit.name)"
        if index + 1 < units.count {
            let next = units[index + 1]
            let count = total % unit.size / next.size
            if count > 0 { text += " \(count)\(next.name)" }
        }
        return text
    }

    /// An instant as an ISO 8601 UTC timestamp to the second, e.g. `2025-06-03T09:00:00Z`.
    package static func describe(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
