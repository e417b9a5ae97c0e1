import Foundation
import Logging
import NurtureDaemon
import NurtureSQLite
import ServiceLifecycle
import Testing

@testable import NurtureServer

#if canImport(Glibc)
    import Glibc
#endif

/// The systemd notifier as a service, against a real datagram socket and a real SQLite store: READY only once
/// start-up is complete, WATCHDOG only while the scheduler loop beats, and an end at graceful shutdown.
@Suite struct NotifierServiceTests {
    @Test("READY waits for the start gate; WATCHDOG follows the scheduler's heartbeat; shutdown ends the service")
    func readyThenWatchdogFollowsHeartbeat() async throws {
        let socket = try DatagramSocket()
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
            #expect(await socket.next(within: .milliseconds(300)) == nil, "nothing before start-up is complete")
            started.open()
            #expect(await socket.next(within: .seconds(30)) == "READY=1\nSTATUS=no sends yet")
            #expect(await socket.next(within: .seconds(30)) == "WATCHDOG=1", "the first ping")
            #expect(await socket.next(within: .milliseconds(400)) == nil, "no beat since: no ping")
            heartbeat.beat()
            #expect(await socket.next(within: .seconds(30)) == "WATCHDOG=1", "a beat: the next ping")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A bound `AF_UNIX` datagram socket in the abstract namespace, standing in for systemd's notify socket.
private final class DatagramSocket: Sendable {
    /// The value for `NOTIFY_SOCKET`.
    let name = "@nurture-server-test-\(UUID().uuidString)"
    private let descriptor: Int32

    init() throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var bytes = Array(name.utf8)
        bytes[0] = 0
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard descriptor >= 0, result == 0 else { throw SocketError(errno: errno) }
    }

    deinit { close(descriptor) }

    /// The next datagram other than a lone STATUS refresh (one comes every 10 s, whenever the machine is slow), or
    /// `nil` when none comes within `timeout`; waits on a Dispatch thread, never blocking the cooperative pool the
    /// service under test runs on.
    func next(within timeout: Duration) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var datagram = self.receive(within: timeout)
                while datagram?.hasPrefix("STATUS=") == true { datagram = self.receive(within: timeout) }
                continuation.resume(returning: datagram)
            }
        }
    }

    /// The next datagram, or `nil` when none comes within `timeout` (blocks the calling thread).
    private func receive(within timeout: Duration) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// `socket` or `bind` failed.
private struct SocketError: Error {
    let errno: Int32
}
