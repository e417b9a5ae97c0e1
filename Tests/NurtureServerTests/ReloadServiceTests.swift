import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import NurtureServer

/// The reloader as a service, driven by an injected trigger sequence instead of SIGHUP.
@Suite struct ReloadServiceTests {
    static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }

    @Test("each trigger reloads once, in turn; a graceful shutdown ends the service while it waits")
    func reloadsPerTriggerUntilShutdown() async throws {
        let (triggers, trigger) = AsyncStream.makeStream(of: Int.self)
        let reloads = Mutex(0)
        let (done, reloaded) = AsyncStream.makeStream(of: Int.self)
        let service = ReloadService(triggers: triggers) {
            let count = reloads.withLock { count in
                count += 1
                return count
            }
            reloaded.yield(count)
        }
        let group = ServiceGroup(services: [service], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var seen = done.makeAsyncIterator()
            trigger.yield(1)
            #expect(await seen.next() == 1)
            trigger.yield(2)
            #expect(await seen.next() == 2)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(reloads.withLock { $0 } == 2)
    }

    @Test("the service ends when its trigger sequence ends")
    func endsWithItsTriggers() async throws {
        let (triggers, trigger) = AsyncStream.makeStream(of: Int.self)
        trigger.finish()
        let service = ReloadService(triggers: triggers) { Issue.record("no trigger came") }
        try await service.run()
    }
}
