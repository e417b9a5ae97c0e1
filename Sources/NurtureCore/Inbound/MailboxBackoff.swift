package import Foundation

/// How a watched mailbox's health moves with each poll, and how long the watcher waits before the next one.
///
/// Pure: the watcher reports each poll's end with ``failed(_:problem:at:)`` or ``succeeded(_:at:)`` and stores the
/// cursor it gets back; ``wait(after:pollInterval:maxDelay:)`` says when to poll again and ``report(before:after:)``
/// which line, if any, to log. A healthy mailbox is polled every poll interval; a failing one after the poll
/// interval doubled for each failure in a row, up to ``defaultMaxDelay`` (15 minutes): 60 s, 2 min, 4 min, 8 min,
/// 15 min, 15 min, ... with the default interval. One line is logged when a mailbox starts failing, one when its
/// problem changes, and one when it recovers; the repeats of the same problem are counted in the cursor, not logged.
package enum MailboxBackoff {
    /// The longest wait between two polls of a failing mailbox.
    package static let defaultMaxDelay = Duration.seconds(900)

    /// The wait before the next poll of a mailbox whose cursor is `cursor`: `pollInterval` while it is healthy,
    /// else `pollInterval` doubled `failures - 1` times, capped at `maxDelay` (never below `pollInterval`).
    package static func wait(
        after cursor: MailboxCursor, pollInterval: Duration, maxDelay: Duration = defaultMaxDelay
    ) -> Duration {
        guard cursor.failures > 0 else { return pollInterval }
        return RetryPolicy(firstDelay: pollInterval, maxDelay: max(maxDelay, pollInterval))
            .delay(afterAttempt: cursor.failures)
    }

    /// The cursor after a failed poll at `now`: the problem (already free of secrets) is kept, the run of failures
    /// grows, and `failingSince` stays at its first failure. The position (UIDVALIDITY, last UID) is unchanged.
    package static func failed(_ cursor: MailboxCursor, problem: String, at now: Date) -> MailboxCursor {
        var next = cursor
        next.lastError = problem
        next.failingSince = cursor.failingSince ?? now
        next.failures = cursor.failures + 1
        return next
    }

    /// The cursor after a poll that reached the mailbox and read what it had to: healthy, checked at `now`.
    package static func succeeded(_ cursor: MailboxCursor, at now: Date) -> MailboxCursor {
        var next = cursor
        next.checkedAt = now
        next.lastError = nil
        next.failingSince = nil
        next.failures = 0
        return next
    }

    /// The line to log when a poll moved the mailbox from `before` (`nil`: never polled) to `after`, or `nil` when
    /// nothing an operator needs changed.
    package static func report(before: MailboxCursor?, after: MailboxCursor) -> Report? {
        switch (before?.lastError, after.lastError) {
        case (nil, nil):
            return nil
        case (let was?, let now?):
            return was == now ? nil : .failing(problem: now, failures: after.failures)
        case (nil, let now?):
            return .failing(problem: now, failures: after.failures)
        case (_?, nil):
            return .recovered(failures: before?.failures ?? 0, since: before?.failingSince)
        }
    }

    /// A line the watcher logs.
    package enum Report: Sendable, Hashable, CustomStringConvertible {
        /// The mailbox cannot be read (the first failure, or a different problem than the last one logged).
        case failing(problem: String, failures: Int)
        /// The mailbox is read again after `failures` failed polls since `since`.
        case recovered(failures: Int, since: Date?)

        package var description: String {
            switch self {
            case .failing(let problem, let failures):
                let count = failures == 1 ? "first failure" : "\(failures) failed polls in a row"
                return "cannot read the mailbox: \(problem) (\(count)); sending goes on, the mailbox is polled again"
                    + " with backoff"
            case .recovered(let failures, let since):
                let from = since.map { " since \(ScheduleTime.describe($0))" } ?? ""
                return "the mailbox is read again after \(failures) failed poll(s)\(from)"
            }
        }
    }
}
