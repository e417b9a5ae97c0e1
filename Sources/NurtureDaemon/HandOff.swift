import Synchronization

/// A first-in first-out queue between tasks, for the scheduler's send pipeline: the coordinator hands
/// prepared sends to the connection workers through one, and the workers hand outcomes back through another.
///
/// Workers ``take()`` one element at a time (waiting while the queue is empty); the coordinator collects
/// everything there is with ``takeAll()`` and waits for the next element with ``waitForAny()``.
/// After ``finish()``, ``take()`` returns the remaining elements, then `nil`.
///
/// Both waits end when their task is cancelled: ``take()`` then returns `nil` (an element put later stays queued
/// for the next taker) and ``waitForAny()`` returns as if nudged.
final class HandOff<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        var items: [Element] = []
        var head = 0
        var takers: [(id: UInt64, continuation: CheckedContinuation<Element?, Never>)] = []
        var nextTaker: UInt64 = 0
        var watcher: CheckedContinuation<Void, Never>?
        var nudged = false
        var finished = false

        var isEmpty: Bool { head == items.count }

        mutating func popFirst() -> Element? {
            guard !isEmpty else { return nil }
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return item
        }
    }

    private let state = Mutex(State())

    private enum Wake {
        case taker(CheckedContinuation<Element?, Never>)
        case watcher(CheckedContinuation<Void, Never>)
        case none
    }

    /// Adds `element`, waking a waiting taker (which gets it) or the watcher.
    func put(_ element: Element) {
        let wake: Wake = state.withLock { state in
            if !state.takers.isEmpty { return .taker(state.takers.removeFirst().continuation) }
            state.items.append(element)
            if let watcher = state.watcher {
                state.watcher = nil
                return .watcher(watcher)
            }
            return .none
        }
        switch wake {
        case .taker(let taker): taker.resume(returning: element)
        case .watcher(let watcher): watcher.resume()
        case .none: break
        }
    }

    /// The oldest element, waiting for one while the queue is empty; `nil` once finished and empty, or when the
    /// task is cancelled while it waits.
    func take() async -> Element? {
        let id = state.withLock { state in
            state.nextTaker &+= 1
            return state.nextTaker
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
                let ready: Element?? = state.withLock { state in
                    if let item = state.popFirst() { return .some(item) }
                    // Checked under the lock: a cancellation after this finds the taker registered below.
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.takers.append((id, continuation))
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let taker = state.withLock { state -> CheckedContinuation<Element?, Never>? in
                guard let index = state.takers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.takers.remove(at: index).continuation
            }
            taker?.resume(returning: nil)
        }
    }

    /// How many elements wait to be taken.
    var count: Int { state.withLock { $0.items.count - $0.head } }

    /// Every element there is now, oldest first, without waiting.
    func takeAll() -> [Element] {
        state.withLock { state in
            defer {
                state.items.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return Array(state.items[state.head...])
        }
    }

    /// Returns once the queue holds an element (at once if it already does), is finished, or was nudged since
    /// the last wait, or when the task is cancelled. One watcher at a time.
    func waitForAny() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if !state.isEmpty || state.finished || state.nudged || Task.isCancelled {
                        state.nudged = false
                        return true
                    }
                    state.watcher = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let watcher = state.withLock { state in
                defer { state.watcher = nil }
                return state.watcher
            }
            watcher?.resume()
        }
    }

    /// Ends the watcher's current (or next) ``waitForAny()`` without an element: a deadline of the watcher's came.
    func nudge() {
        let watcher = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let watcher = state.watcher else {
                state.nudged = true
                return nil
            }
            state.watcher = nil
            return watcher
        }
        watcher?.resume()
    }

    /// No more elements will be put: waiting takers get `nil`.
    func finish() {
        let (takers, watcher) = state.withLock { state in
            state.finished = true
            defer {
                state.takers.removeAll()
                state.watcher = nil
            }
            return (state.takers, state.watcher)
        }
        for taker in takers { taker.continuation.resume(returning: nil) }
        watcher?.resume()
    }
}
