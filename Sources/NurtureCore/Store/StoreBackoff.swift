package import Foundation

/// How the daemon treats a store that refuses work (a full disk, a read-only file system, a lock held too
/// long): a growing, bounded wait before it touches the store again, and a bounded rate of log lines.
///
/// A value with the time as input: the daemon reports each failed store call with ``failed(cause:at:)`` and
/// each call that did its work with ``succeeded(at:)``; the answers say when to try again and which line, if
/// any, to log. With the defaults the waits are 100 ms, 200 ms, 400 ms, ... doubling up to 30 s; the first
/// failure is reported at once, later ones at most once per 30 s with the number of failures left unreported,
/// and the recovery of a reported outage is reported once.
package struct StoreBackoff: Sendable, Hashable {
    /// The wait after the first failure.
    package var firstDelay: Duration
    /// The longest wait between two attempts.
    package var maxDelay: Duration
    /// The shortest time between two failure lines.
    package var reportInterval: Duration

    /// Failed calls since the store last did its work (0 while it is healthy).
    package private(set) var failures = 0
    /// When the first of those failures happened.
    package private(set) var failingSince: Date?
    /// No store work before this moment (`nil` while the store is healthy).
    package private(set) var retryAt: Date?
    /// When the last failure line was reported.
    package private(set) var lastReportAt: Date?
    /// Failures since the last reported line that were not reported themselves.
    package private(set) var unreported = 0
    /// Whether a line was reported for the current outage (its recovery is reported only then).
    private var outageReported = false

    package init(
        firstDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(30),
        reportInterval: Duration = .seconds(30)
    ) {
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.reportInterval = reportInterval
    }

    /// Whether the store is failing: at least one failure and no success since.
    package var isFailing: Bool { failures > 0 }

    /// Whether the daemon must keep away from the store at `now` (the backoff has not run out).
    package func isWaiting(at now: Date) -> Bool {
        retryAt.map { now < $0 } ?? false
    }

    /// The wait after the `failures`-th consecutive failure (1-based; values below 1 count as 1):
    /// ``firstDelay`` doubled `failures - 1` times, capped at ``maxDelay``.
    package func delay(afterFailure failures: Int) -> Duration {
        RetryPolicy(firstDelay: firstDelay, maxDelay: maxDelay).delay(afterAttempt: failures)
    }

    /// Records a failed store call at `now`; returns the line to log, or `nil` when one was logged less than
    /// ``reportInterval`` ago (the failure is then counted in ``unreported``).
    package mutating func failed(cause: String, at now: Date) -> StoreFaultReport? {
        failures += 1
        if failures == 1 { failingSince = now }
        let wait = delay(afterFailure: failures)
        retryAt = ScheduleTime.date(now, plus: wait)
        if let last = lastReportAt, now >= last, now < ScheduleTime.date(last, plus: reportInterval) {
            unreported += 1
            return nil
        }
        let report = StoreFaultReport.failing(
            cause: cause, failures: failures, since: failingSince ?? now, unreported: unreported, retryIn: wait)
        lastReportAt = now
        unreported = 0
        outageReported = true
        return report
    }

    /// Records a store call that did its work at `now`: the backoff ends. Returns the recovery line when the
    /// outage was reported, else `nil`.
    package mutating func succeeded(at now: Date) -> StoreFaultReport? {
        guard failures > 0 else { return nil }
        defer {
            failures = 0
            failingSince = nil
            retryAt = nil
            outageReported = false
        }
        guard outageReported else { return nil }
        let report = StoreFaultReport.recovered(
            failures: failures, since: failingSince ?? now, at: now, unreported: unreported)
        unreported = 0
        return report
    }
}

/// A line ``StoreBackoff`` asks the daemon to log.
package enum StoreFaultReport: Sendable, Hashable, CustomStringConvertible {
    /// The store refused work: `failures` in a row since `since`, `unreported` of them not logged since the
    /// last line; the next attempt is `retryIn` from now.
    case failing(cause: String, failures: Int, since: Date, unreported: Int, retryIn: Duration)
    /// The store took work again at `at` after `failures` failed calls since `since`.
    case recovered(failures: Int, since: Date, at: Date, unreported: Int)

    package var description: String {
        switch self {
        case .failing(let cause, let failures, let since, let unreported, let retryIn):
            let count =
                failures == 1 ? "first failure" : "\(failures) failures in a row since \(ScheduleTime.describe(since))"
            let quiet = unreported > 0 ? "; \(unreported) not logged since the last line" : ""
            return "\(cause) (\(count)\(quiet)); outcomes not yet written are kept in memory; next attempt in"
                + " \(Self.seconds(retryIn))"
        case .recovered(let failures, let since, let at, let unreported):
            let quiet = unreported > 0 ? ", \(unreported) of them not logged" : ""
            let lasted = Self.seconds(.milliseconds(Int64(max(0, at.timeIntervalSince(since)) * 1000)))
            return "the store takes writes again after \(failures) failed attempt(s) over \(lasted)\(quiet)"
        }
    }

    /// `0.4 s`, `12.8 s`, `30 s`: a wait as people read it.
    static func seconds(_ duration: Duration) -> String {
        let value = ScheduleTime.seconds(duration)
        return value < 10 ? "\((value * 10).rounded() / 10) s" : "\(Int(value.rounded())) s"
    }
}
