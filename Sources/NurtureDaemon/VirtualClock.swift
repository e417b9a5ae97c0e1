package import Foundation
import Synchronization

/// A clock and wake timer driven by the test: time moves only when ``advance(by:)`` is called, so scheduler
/// tests cover minutes, hours and days without sleeping.
package final class VirtualClock: WallClock, WakeTimer {
    private struct Sleeper {
        var id: UInt64
        var deadline: Date
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        /// Tasks in ``pause(until:)``: woken by ``advance(by:)`` only, and not counted as the scheduler sleeping.
        var pausers: [Sleeper] = []
        var pendingWake = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var lastID: UInt64 = 0
        /// Waits cancelled before they were parked: they return as soon as they would park.
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>

    package init(start: Date) {
        state = Mutex(State(now: start))
    }

    package func now() -> Date { state.withLock { $0.now } }

    package func sleep(until deadline: Date) async {
        await park(in: \.sleepers, until: deadline) { state in
            guard state.pendingWake || deadline <= state.now else { return false }
            state.pendingWake = false
            return true
        }
    }

    package func pause(until deadline: Date) async {
        await park(in: \.pausers, until: deadline) { state in deadline <= state.now }
    }

    /// Parks the calling task in `list` until `advance(by:)` (or `wake()`) resumes it, unless `ready` says it
    /// need not wait; a cancelled task is resumed at once and taken off the list.
    private func park(
        in list: any WritableKeyPath<State, [Sleeper]> & Sendable, until deadline: Date, ready: (inout State) -> Bool
    ) async {
        let id = state.withLock { state -> UInt64 in
            state.lastID += 1
            return state.lastID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (resumeNow, idle) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if state.cancelled.remove(id) != nil || ready(&state) { return (true, []) }
                    state[keyPath: list].append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    guard list == \State.sleepers else { return (false, []) }
                    defer { state.idleWaiters.removeAll() }
                    return (false, state.idleWaiters)
                }
                if resumeNow { continuation.resume() }
                for waiter in idle { waiter.resume() }
            }
        } onCancel: {
            let parked = state.withLock { state -> Sleeper? in
                if let index = state[keyPath: list].firstIndex(where: { $0.id == id }) {
                    return state[keyPath: list].remove(at: index)
                }
                state.cancelled.insert(id)
                return nil
            }
            parked?.continuation.resume()
        }
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    /// How many tasks wait in ``pause(until:)``.
    package var pausedCount: Int { state.withLock { $0.pausers.count } }

    package func wake() {
        let woken = state.withLock { state -> [Sleeper] in
            if state.sleepers.isEmpty { state.pendingWake = true }
            defer { state.sleepers.removeAll() }
            return state.sleepers
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    package func advance(by duration: Duration) {
        let (whole, attoseconds) = duration.components
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(TimeInterval(whole) + TimeInterval(attoseconds) / 1e18)
            let now = state.now
            let due = (state.sleepers + state.pausers).filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            state.pausers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once something is sleeping on this clock (the scheduler has finished its pass and waits).
    package func waitUntilSleeping() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let sleeping = state.withLock { state -> Bool in
                if !state.sleepers.isEmpty { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if sleeping { continuation.resume() }
        }
    }
}
