import Foundation
import Testing

/// The daemon's HTTP listener under a flood of idle and slow connections: they are closed after
/// `http.idle_timeout_seconds`, at most `http.max_connections` are open at once, and `/healthz` answers again
/// as soon as they are gone.
@Suite(
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct HTTPConnectionLimitsTests {
    static let cap = 64
    static let idleSeconds = 2.0

    @Test("idle and slow connections are closed after the idle timeout; past the cap nothing is served until they go")
    func idleConnectionsAreClosedAndCapped() async throws {
        let harness = try DaemonHarness()
        defer { harness.stopAll() }
        var text = try String(contentsOf: harness.configFile, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "  listen: 127.0.0.1:0\n",
            with: "  listen: 127.0.0.1:0\n  idle_timeout_seconds: \(Int(Self.idleSeconds))\n"
                + "  max_connections: \(Self.cap)\n")
        #expect(text.contains("max_connections: \(Self.cap)"))
        try text.write(to: harness.configFile, atomically: true, encoding: .utf8)
        try harness.startDaemon()
        let base = try harness.waitForHTTP()
        let port = try #require(Int(base.split(separator: ":").last ?? ""))

        let measured = try await offPool { try Self.flood(port: port) }
        #expect(measured.whileCapped == .nothing, "not served while \(Self.cap) connections are open")
        #expect(
            measured.results.allSatisfy { $0 == .closed }, "the server closes idle connections: \(measured.results)")
        let earliest = measured.closedAfter.min() ?? 0
        let latest = measured.closedAfter.max() ?? 0
        print(
            "HTTP limits: \(measured.results.count) idle/slow connections (cap \(Self.cap), idle timeout"
                + " \(Self.idleSeconds) s): closed between \(String(format: "%.2f", earliest)) s and"
                + " \(String(format: "%.2f", latest)) s; the waiting /healthz answered after"
                + " \(String(format: "%.2f", measured.answeredAfter ?? -1)) s")
        #expect(earliest >= Self.idleSeconds - 0.5, "not closed before the idle timeout")
        #expect(latest < 25)
        #expect(measured.afterwards?.hasPrefix("HTTP/1.1 ") == true, "/healthz answered once they were gone")
        #expect(measured.fresh?.hasPrefix("HTTP/1.1 ") == true, "a new connection is served")
    }

    /// What the flood saw.
    struct Flood: Sendable {
        /// What the request past the cap got in its first second.
        var whileCapped: LoopbackSocket.Read
        /// How each idle or slow connection ended, and when (seconds after they were opened).
        var results: [LoopbackSocket.Read]
        var closedAfter: [Double]
        /// The reply the waiting request got at last, and when.
        var afterwards: String?
        var answeredAfter: Double?
        /// The reply on a connection opened afterwards.
        var fresh: String?
    }

    /// Opens the cap plus 8 idle connections (the 8 for connections accepted in the same read as the last
    /// allowed one) and one slow client that sends half a request head and stops; then one real request past
    /// the cap. Blocking: run it off the cooperative pool.
    static func flood(port: Int) throws -> Flood {
        let opened = Date()
        var idle = try (0..<(cap + 8)).map { _ in try LoopbackSocket(port: port) }
        let slow = try LoopbackSocket(port: port)
        try slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        idle.append(slow)
        let late = try LoopbackSocket(port: port)
        try late.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let whileCapped = late.read(timeout: 1.0)
        // One deadline for all of them keeps the test bounded when they are never closed.
        let deadline = opened.addingTimeInterval(25)
        var results: [LoopbackSocket.Read] = []
        var closedAfter: [Double] = []
        for connection in idle {
            results.append(connection.read(timeout: max(0.05, deadline.timeIntervalSinceNow)))
            closedAfter.append(Date().timeIntervalSince(opened))
        }
        var afterwards: String?
        var answeredAfter: Double?
        if whileCapped == .nothing, case .data(let reply) = late.read(timeout: 20) {
            afterwards = reply
            answeredAfter = Date().timeIntervalSince(opened)
        }
        let fresh = try LoopbackSocket(port: port)
        try fresh.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        var freshReply: String?
        if case .data(let reply) = fresh.read(timeout: 10) { freshReply = reply }
        return Flood(
            whileCapped: whileCapped, results: results, closedAfter: closedAfter, afterwards: afterwards,
            answeredAfter: answeredAfter, fresh: freshReply)
    }
}
