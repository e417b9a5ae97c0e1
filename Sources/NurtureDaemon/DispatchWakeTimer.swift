import Dispatch
package import Foundation
import Synchronization

/// One `DispatchSourceTimer`, re-armed for each sleep, on the wall clock (`DispatchWallTime`): a clock change
/// or a suspended machine moves the wake-up with the clock, and the scheduler re-reads due times from the
/// store after every wake anyway.
///
/// `@unchecked Sendable`: the Dispatch source is thread-safe (it is only scheduled and cancelled), and the
/// sleeper state is behind a `Mutex`.
package final class DispatchWakeTimer: WakeTimer, @unchecked Sendable {
    private let queue = DispatchQueue(label: "nurture.wake-timer")
    private let source: any DispatchSourceTimer
    private let state = WakeState()

    package init() {
        source = DispatchSource.makeTimerSource(queue: queue)
        source.setEventHandler { [state] in state.resumeSleeper() }
        source.schedule(wallDeadline: .distantFuture)
        source.activate()
    }

    deinit {
        source.cancel()
    }

    /// Returns at `deadline`, at the next ``wake()``, or at once when a wake came while nobody slept or the task is
    /// cancelled (then the armed deadline stays set and fires into nothing).
    package func sleep(until deadline: Date) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let returnNow = state.lock.withLock { state -> Bool in
                    if state.pendingWake {
                        state.pendingWake = false
                        return true
                    }
                    // Checked under the lock: a cancellation after this finds the sleeper registered below.
                    if Task.isCancelled { return true }
                    state.sleeper = continuation
                    return false
                }
                if returnNow {
                    continuation.resume()
                    return
                }
                let seconds = max(0, deadline.timeIntervalSince1970)
                let whole = seconds.rounded(.down)
                let spec = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000))
                source.schedule(wallDeadline: DispatchWallTime(timespec: spec), leeway: .milliseconds(1))
            }
        } onCancel: { [state] in
            state.resumeSleeper()
        }
    }

    package func wake() {
        let sleeper = state.lock.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let sleeper = state.sleeper else {
                state.pendingWake = true
                return nil
            }
            state.sleeper = nil
            return sleeper
        }
        sleeper?.resume()
    }
}

/// Who sleeps on the timer, and whether a wake arrived while nobody slept.
private final class WakeState: Sendable {
    struct State {
        var sleeper: CheckedContinuation<Void, Never>?
        var pendingWake = false
    }

    let lock = Mutex(State())

    func resumeSleeper() {
        let sleeper = lock.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.sleeper = nil }
            return state.sleeper
        }
        sleeper?.resume()
    }
}
