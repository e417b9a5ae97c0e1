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

        // The cap, plus 8 for connections accepted in the same read as the last allowed one: idle ones, and one
        // slow client that sends half a request head and stops.
        let opened = Date()
        var idle = try (0..<(Self.cap + 8)).map { _ in try LoopbackSocket(port: port) }
        let slow = try LoopbackSocket(port: port)
        try slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        idle.append(slow)

        // One more, a real request: it waits in the listen backlog while the cap is taken.
        let late = try LoopbackSocket(port: port)
        try late.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(late.read(timeout: 1.0) == .nothing, "not served while \(Self.cap) connections are open")

        // Every idle or slow connection is closed by the server after the idle timeout (not before), including
        // those that waited in the backlog and were accepted when the first ones went.
        // One deadline for all of them keeps the test bounded when they are never closed.
        var closedAfter: [Double] = []
        let deadline = opened.addingTimeInterval(25)
        for connection in idle {
            let result = connection.read(timeout: max(0.05, deadline.timeIntervalSinceNow))
            #expect(result == .closed, "the server closes an idle connection: \(result)")
            closedAfter.append(Date().timeIntervalSince(opened))
        }
        let earliest = closedAfter.min() ?? 0
        let latest = closedAfter.max() ?? 0
        print(
            "HTTP limits: \(idle.count) idle/slow connections (cap \(Self.cap), idle timeout \(Self.idleSeconds) s):"
                + " closed between \(String(format: "%.2f", earliest)) s and \(String(format: "%.2f", latest)) s")
        #expect(earliest >= Self.idleSeconds - 0.5, "not closed before the idle timeout")
        #expect(latest < 25)

        // The waiting request is answered once they are gone, and the listener serves new connections.
        guard case .data(let reply) = late.read(timeout: 20) else {
            Issue.record("/healthz was not answered after the idle connections were closed")
            return
        }
        #expect(reply.hasPrefix("HTTP/1.1 "), "\(reply)")
        let fresh = try LoopbackSocket(port: port)
        try fresh.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        guard case .data(let again) = fresh.read(timeout: 10) else {
            Issue.record("a new connection was not served")
            return
        }
        #expect(again.hasPrefix("HTTP/1.1 "))
    }
}
