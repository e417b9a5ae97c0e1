import Foundation
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSMTP

/// The pool's check-out: a caller waiting for a free connection returns promptly when its task is cancelled, and the
/// connection it never got stays in the pool (no leak, no double hand-out). No relay is contacted.
/// A waiter that missed its cancellation would hang until the suite's time limit.
@Suite(.timeLimit(.minutes(10))) struct CheckOutCancellationTests {
    @Test("a waiter cancelled while every connection is busy gets none; the connection returns to the pool")
    func cancelledWaiterGetsNothing() async throws {
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: 9, poolSize: 1))
        let held = try #require(await transport.checkOut())
        let waiter = Task { await transport.checkOut() }
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(ContinuousClock.now - started < hangBound, "far below a wait that was never resumed")
        transport.checkIn(held)
        #expect(transport.freeConnections == 1, "the slot went back to the free list, not to the cancelled waiter")
        #expect(await transport.checkOut() == held)
    }

    @Test("a send cancelled while waiting for a connection is deferred without a transfer")
    func cancelledSendIsDeferred() async throws {
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: 9, poolSize: 1))
        let held = try #require(await transport.checkOut())
        let send = Task {
            await transport.send(
                TestMessages.message(to: "ada@example.com", number: 1),
                envelope: TestMessages.envelope(to: "ada@example.com"))
        }
        try await Task.sleep(for: .milliseconds(50))
        send.cancel()
        let outcome = await send.value
        #expect(outcome.kind == .deferred)
        #expect(outcome.transportDetail == "cancelled while waiting for a free connection")
        transport.checkIn(held)
        #expect(await transport.connectionsOpened() == 0, "nothing was sent")
        await transport.shutdown()
    }

    @Test("a waiter woken by shutdown gets none, once")
    func shutdownWakesWaiters() async throws {
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: 9, poolSize: 1))
        _ = try #require(await transport.checkOut())
        let waiter = Task { await transport.checkOut() }
        try await Task.sleep(for: .milliseconds(50))
        await transport.shutdown()
        #expect(await waiter.value == nil)
        waiter.cancel()  // after the resume: the handler finds nothing to resume again
    }
}
