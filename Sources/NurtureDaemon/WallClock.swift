public import Foundation

/// Where the scheduler reads the time. The system clock in the daemon; a ``VirtualClock`` in tests.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// Suspends the scheduler until a wall-clock moment or until something changes.
///
/// The daemon uses ``DispatchWakeTimer`` (one `DispatchSourceTimer` on the wall clock); tests use
/// ``VirtualClock`` and never sleep.
public protocol WakeTimer: Sendable {
    /// Returns when `deadline` has passed or ``wake()`` was called, whichever comes first. A wake that
    /// arrives while nobody sleeps makes the next sleep return at once, so no change is missed.
    func sleep(until deadline: Date) async
    /// Ends the current (or next) sleep: the plan changed.
    func wake()
}

/// The system's wall clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }
}
