package import Foundation

/// When to retry a send after a temporary failure, and when to give up; modelled on Postfix.
///
/// The delay after the first failure is ``firstDelay``; each further failure doubles it, up to
/// ``maxDelay`` (with the defaults: 5, 10, 20, 40, 60, 60, ... minutes). The send is given up
/// once a failure happens ``giveUpAfter`` or more after the send's `dueAt`. A retry that would
/// land after that deadline is moved to the deadline itself, so the last attempt happens exactly
/// then.
package struct RetryPolicy: Sendable, Hashable {
    /// The delay after the first failed attempt.
    package var firstDelay: Duration
    /// The longest delay between two attempts.
    package var maxDelay: Duration
    /// How long after the send's `dueAt` failures are still retried.
    package var giveUpAfter: Duration

    /// Makes a policy; the defaults are Postfix's: 5 minutes, growing to 1 hour, for 5 days.
    package init(
        firstDelay: Duration = .seconds(300), maxDelay: Duration = .seconds(3_600),
        giveUpAfter: Duration = .seconds(5 * 86_400)
    ) {
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.giveUpAfter = giveUpAfter
    }

    /// The wait after the `attempts`-th failed attempt (1-based; values below 1 count as 1):
    /// ``firstDelay`` doubled `attempts - 1` times, capped at ``maxDelay``.
    package func delay(afterAttempt attempts: Int) -> Duration {
        var delay = max(firstDelay, .zero)
        let cap = max(maxDelay, delay)
        var doublings = max(attempts, 1) - 1
        while doublings > 0 && delay < cap {
            delay = delay > cap / 2 ? cap : delay * 2
            doublings -= 1
        }
        return min(delay, cap)
    }

    /// After the `attempts`-th failed attempt (1-based) at `now` of a send due at `dueAt`.
    ///
    /// Gives up when `now` is ``giveUpAfter`` or more after `dueAt`; otherwise retries after
    /// ``delay(afterAttempt:)``, but no later than the give-up deadline.
    package func decide(attempts: Int, dueAt: Date, now: Date) -> RetryDecision {
        let deadline = ScheduleTime.date(dueAt, plus: giveUpAfter)
        if now >= deadline {
            let tries = attempts == 1 ? "1 attempt" : "\(max(attempts, 1)) attempts"
            return .giveUp(
                reason: "gave up after \(tries): still failing \(ScheduleTime.describe(giveUpAfter)) after "
                    + "the send was due (\(ScheduleTime.describe(dueAt)); give_up_after "
                    + "\(ScheduleTime.describe(giveUpAfter)))")
        }
        let next = ScheduleTime.date(now, plus: delay(afterAttempt: attempts))
        return .retry(at: min(next, deadline))
    }
}
