import NurtureTestSupport
import Testing

/// The `.ownQueue` trait the end-to-end suites use: their tests block threads, so they run on queues of their own.
@Suite(.ownQueue) struct OwnQueueTraitTests {
    @Test("a test of an .ownQueue suite runs on its own queue, and resumes there after it suspends")
    func runsOnItsOwnQueue() async throws {
        #expect(OwnQueueTrait.isOnTestQueue)
        try await Task.sleep(for: .milliseconds(10))
        #expect(OwnQueueTrait.isOnTestQueue)
    }

    @Test("a synchronous test runs there too")
    func synchronousTestRunsOnItsOwnQueue() {
        #expect(OwnQueueTrait.isOnTestQueue)
    }
}

/// Without the trait a test runs on Swift's cooperative pool, not on a test queue.
@Suite struct WithoutOwnQueueTests {
    @Test func runsOnThePool() async {
        #expect(!OwnQueueTrait.isOnTestQueue)
    }
}
