import Foundation
import NurtureTestSupport
import Testing

@testable import NurtureServer

/// The start-up gate the scheduler and the notifier wait on: opens once for everyone, and a cancelled waiter
/// returns `false` promptly without being resumed twice.
@Suite(.timeLimit(.minutes(10))) struct StartGateTests {
    @Test("every waiter, and every later one, passes once the gate opens")
    func opensForAll() async {
        let gate = StartGate()
        async let first = gate.wait()
        async let second = gate.wait()
        try? await Task.sleep(for: .milliseconds(50))
        gate.open()
        #expect(await first)
        #expect(await second)
        #expect(await gate.wait())
        #expect(gate.isOpen)
    }

    @Test("a waiter cancelled while the gate is closed returns false at once; opening later is harmless")
    func cancelledWaiter() async {
        let gate = StartGate()
        let waiter = Task { await gate.wait() }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(ContinuousClock.now - started < hangBound)
        gate.open()
        #expect(await gate.wait())
    }

    @Test("a gate made open lets a cancelled task through too (it is open, nothing to wait for)")
    func openFromTheStart() async {
        let gate = StartGate(open: true)
        let passed = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await gate.wait()
        }.value
        #expect(passed)
    }
}
