import Synchronization

/// Opens once, when start-up is complete (the HTTP listener is bound): the scheduler starts sending and systemd
/// hears READY only then. Waiters park until it opens; a waiter whose task is cancelled returns `false` at once.
final class StartGate: Sendable {
    private struct State: ~Copyable {
        var isOpen = false
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A gate that is closed, or already open.
    init(open: Bool = false) {
        state.withLock { $0.isOpen = open }
    }

    /// Whether the gate is open.
    var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Opens the gate: every waiter (and every later one) returns `true`.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Returns `true` once the gate is open (at once if it is), `false` when the task is cancelled first.
    func wait() async -> Bool {
        let id = state.withLock { state in
            state.nextID &+= 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now: Bool? = state.withLock { state in
                    if state.isOpen { return true }
                    // Checked under the lock: a cancellation after this finds the waiter registered below.
                    if Task.isCancelled { return false }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: false)
        }
    }
}
