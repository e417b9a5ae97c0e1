package import Foundation

/// Where the scheduler reads the time. The system clock in the daemon; a ``VirtualClock`` in tests.
package protocol WallClock: Sendable {
    func now() -> Date
    /// Returns once `deadline` has passed on this clock (at once if it has), or early when the task is
    /// cancelled. Unlike ``WakeTimer/sleep(until:)`` nothing else ends it: a connection worker holds a message
    /// claimed ahead of time with it until the send is due.
    func pause(until deadline: Date) async
}

/// Suspends the scheduler until a wall-clock moment or until something changes.
///
/// The daemon uses ``DispatchWakeTimer`` (one `DispatchSourceTimer` on the wall clock); tests use
/// ``VirtualClock`` and never sleep.
package protocol WakeTimer: Sendable {
    /// Returns when `deadline` has passed or ``wake()`` was called, whichever comes first. A wake that
    /// arrives while nobody sleeps makes the next sleep return at once, so no change is missed.
    func sleep(until deadline: Date) async
    /// Ends the current (or next) sleep: the plan changed.
    func wake()
}

/// The system's wall clock.
package struct SystemClock: WallClock {
    package init() {}

    package func now() -> Date { Date() }

    package func pause(until deadline: Date) async {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        // A tolerance of a millisecond: the default lets the system coalesce the wake-up by much more.
        try? await Task.sleep(for: .microseconds(Int64(seconds * 1_000_000)), tolerance: .milliseconds(1))
    }
}
