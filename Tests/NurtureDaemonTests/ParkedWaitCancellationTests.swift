import Foundation
import NurtureTestSupport
import Testing

@testable import NurtureDaemon

/// Every wait that parks a continuation ends promptly when its task is cancelled, resumes exactly once, and leaves
/// the structure usable (nothing is lost or handed to a waiter that is gone). A wait that missed its cancellation
/// would hang until the suite's time limit.
@Suite(.timeLimit(.minutes(10))) struct ParkedWaitCancellationTests {
    /// Far below the hour the sleeps would last, far above what a loaded machine takes to schedule a task.
    static let prompt = hangBound

    @Test("a HandOff taker cancelled while waiting returns nil; a later element goes to the next taker")
    func takeIsCancellable() async {
        let queue = HandOff<Int>()
        let waiting = Task { await queue.take() }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        waiting.cancel()
        #expect(await waiting.value == nil)
        #expect(ContinuousClock.now - started < Self.prompt)
        queue.put(7)
        #expect(queue.count == 1, "the cancelled taker was removed, so the element is queued")
        #expect(await queue.take() == 7)
    }

    @Test("a HandOff taker cancelled before it waits returns nil at once and takes nothing")
    func takeCancelledBeforehand() async {
        let queue = HandOff<Int>()
        let result = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await queue.take()
        }.value
        #expect(result == nil)
        queue.put(1)
        #expect(queue.count == 1)
    }

    @Test("an element already queued is still taken by a cancelled task")
    func queuedElementWins() async {
        let queue = HandOff<Int>()
        queue.put(3)
        let result = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await queue.take()
        }.value
        #expect(result == 3)
    }

    @Test("the HandOff watcher cancelled while waiting returns; a later nudge is kept for the next wait")
    func waitForAnyIsCancellable() async {
        let queue = HandOff<Int>()
        let watcher = Task { await queue.waitForAny() }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        watcher.cancel()
        await watcher.value
        #expect(ContinuousClock.now - started < Self.prompt)
        queue.nudge()
        await queue.waitForAny()
    }

    @Test("many takers cancelled while elements are put: every element is taken exactly once")
    func cancellationRacesPuts() async {
        let queue = HandOff<Int>()
        let taken = await withTaskGroup(of: Int?.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let taker = Task { await queue.take() }
                    if index.isMultiple(of: 2) { taker.cancel() }
                    return await taker.value
                }
                group.addTask {
                    queue.put(index)
                    return nil
                }
            }
            return await group.reduce(into: [Int]()) { taken, value in
                if let value { taken.append(value) }
            }
        }
        let all = taken + queue.takeAll()
        #expect(all.sorted() == Array(0..<200), "no element lost or duplicated")
    }

    @Test("DispatchWakeTimer: a sleep far in the future ends when its task is cancelled; the timer still works")
    func timerSleepIsCancellable() async {
        let timer = DispatchWakeTimer()
        let sleeper = Task { await timer.sleep(until: Date().addingTimeInterval(3600)) }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        sleeper.cancel()
        await sleeper.value
        #expect(ContinuousClock.now - started < Self.prompt)
        let next = ContinuousClock.now
        await timer.sleep(until: Date().addingTimeInterval(0.05))
        #expect(ContinuousClock.now - next < Self.prompt, "the next sleep runs to its deadline")
        timer.wake()
        await timer.sleep(until: Date().addingTimeInterval(3600))  // the pending wake ends it at once
    }

    @Test("DispatchWakeTimer: a sleep in a cancelled task returns at once")
    func timerSleepCancelledBeforehand() async {
        let timer = DispatchWakeTimer()
        let started = ContinuousClock.now
        await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await timer.sleep(until: Date().addingTimeInterval(3600))
        }.value
        #expect(ContinuousClock.now - started < Self.prompt)
    }

    @Test("VirtualClock: a pause and a sleep end when their task is cancelled, and are taken off the clock")
    func virtualClockWaitsAreCancellable() async {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 0))
        let far = Date(timeIntervalSince1970: 3_600)
        let pausing = Task { await clock.pause(until: far) }
        let sleeping = Task { await clock.sleep(until: far) }
        await clock.waitUntilSleeping()
        while clock.pausedCount == 0 { await Task.yield() }
        pausing.cancel()
        sleeping.cancel()
        await pausing.value
        await sleeping.value
        #expect(clock.pausedCount == 0, "the cancelled pause left the clock")
        clock.wake()
        await clock.sleep(until: far)  // the wake above was kept for this sleep: nobody else was sleeping
    }

    @Test("VirtualClock: a pause in a cancelled task returns at once")
    func virtualClockPauseCancelledBeforehand() async {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 0))
        await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await clock.pause(until: Date(timeIntervalSince1970: 3_600))
        }.value
        #expect(clock.pausedCount == 0)
    }
}
