import Foundation
import Logging
import NurtureDaemon
import NurtureSQLite
import NurtureTestSupport
import ServiceLifecycle
import Testing

@testable import NurtureServer

/// The systemd notifier as a service, against a real datagram socket and a real SQLite store: READY only once
/// start-up is complete, WATCHDOG only while the scheduler loop beats, and an end at graceful shutdown.
@Suite struct NotifierServiceTests {
    @Test("READY waits for the start gate; WATCHDOG follows the scheduler's heartbeat; shutdown ends the service")
    func readyThenWatchdogFollowsHeartbeat() async throws {
        let socket = try NotifySocket.abstract()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        // A watchdog period of 200 ms: a ping is due every 100 ms.
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "200000"])
        let (heartbeat, started) = (Heartbeat(), StartGate())
        let service = NotifierService(notifier: notifier, store: store, heartbeat: heartbeat, started: started)
        let group = ServiceGroup(
            services: [service], logger: Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(
                await socket.next(within: .milliseconds(300), skippingStatus: true) == nil,
                "nothing before start-up is complete")
            started.open()
            #expect(await socket.next(within: .seconds(30), skippingStatus: true) == "READY=1\nSTATUS=no sends yet")
            #expect(await socket.next(within: .seconds(30), skippingStatus: true) == "WATCHDOG=1", "the first ping")
            #expect(
                await socket.next(within: .milliseconds(400), skippingStatus: true) == nil, "no beat since: no ping")
            heartbeat.beat()
            #expect(
                await socket.next(within: .seconds(30), skippingStatus: true) == "WATCHDOG=1", "a beat: the next ping")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
