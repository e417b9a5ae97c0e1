import Dispatch
package import Testing

/// Runs each test of a suite on a serial dispatch queue of its own instead of Swift's cooperative pool.
///
/// For suites whose tests block a thread: they wait for processes, poll with `Thread.sleep`, or run peers
/// synchronously. The cooperative pool has one thread per core. On a 2-core runner, two such tests on the pool
/// stall every other test in the run, and with them any server the tests run in-process: a CI run saw tests
/// that take milliseconds report 46 s, and an in-process HTTP request time out after 60 s. A dispatch queue
/// gets a thread of its own while it blocks. The test still runs in its own task (a task executor
/// preference), so its expectations are recorded against it as usual.
package struct OwnQueueTrait: SuiteTrait, TestTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    package func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(QueueExecutor(label: "test.\(test.name)")) {
            try await function()
        }
    }
}

extension OwnQueueTrait {
    /// Whether the caller runs on the queue of a test of an ``OwnQueueTrait`` suite.
    package static var isOnTestQueue: Bool { DispatchQueue.getSpecific(key: QueueExecutor.key) == true }
}

extension Trait where Self == OwnQueueTrait {
    /// Runs each test on a dispatch queue of its own, off the cooperative pool (``OwnQueueTrait``).
    package static var ownQueue: Self { OwnQueueTrait() }
}

/// A task executor that runs its jobs on one serial dispatch queue.
final class QueueExecutor: TaskExecutor {
    static let key = DispatchSpecificKey<Bool>()
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.key, value: true)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
