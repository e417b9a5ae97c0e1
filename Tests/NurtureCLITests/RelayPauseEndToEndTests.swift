import Foundation
import NurtureTestSupport
import Testing

/// Relay pauses and `unsuppress` through the real `nurture run`, its HTTP interface and the CLI, with a real
/// aiosmtpd relay and a real SQLite store.
///
/// Every blocking step (starting the peer and the daemon, waiting for it to listen, running the CLI) runs on
/// a Dispatch thread through ``blocking(_:)``, so these tests never hold one of the cooperative pool's threads.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct RelayPauseEndToEndTests {
    /// `relay.paused` of a `/healthz` reply.
    static func pauses(_ health: HTTPClient.Reply) -> [[String: Any]] {
        (health.json["relay"] as? [String: Any])?["paused"] as? [[String: Any]] ?? []
    }

    /// Polls `/healthz` (at most 30 s) until it reports a paused relay; `nil` if it never does.
    static func pausedHealth(_ api: HTTPClient) async throws -> HTTPClient.Reply? {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let health = try await api.send("GET", "/healthz", authorized: false)
            if !pauses(health).isEmpty { return health }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    @Test("relay access denied at RCPT pauses the relay: status, /healthz and /metrics say so; the lead stays mailable")
    func relayRefusalIsReported() async throws {
        let harness = try await blocking { try DaemonHarness(scheduling: DaemonEndToEndTests.fastScheduling) }
        defer { harness.stopAll() }
        try await blocking { try harness.startDaemon() }
        let api = HTTPClient(base: try await blocking { try harness.waitForHTTP() }, token: harness.apiToken)
        let relay = "127.0.0.1:\(harness.peer.port)"
        #expect(try await api.send("POST", "/v1/leads", json: #"{"email": "relaydeny@example.com"}"#).status == 201)

        let health = try #require(try await Self.pausedHealth(api), "no pause reported: \(harness.log)")
        #expect(health.json["status"] as? String == "degraded", "\(health.body)")
        let pause = try #require(Self.pauses(health).first)
        #expect(pause["relay"] as? String == relay)
        #expect((pause["cause"] as? String)?.contains("554 5.7.1") == true, "\(health.body)")
        #expect(((health.json["relay"] as? [String: Any])?["problem"] as? String)?.contains("paused until") == true)
        #expect(try await api.metric("nurture_relay_up") == 0)
        #expect(try await api.metric("nurture_relay_paused{relay=\"\(relay)\"}") == 1)

        let status = try await blocking { try harness.nurture(["status"]) }
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Relays paused (sends through them wait; leads stay mailable):"))
        #expect(status.stdout.contains("  \(relay): the relay refused by policy"), "\(status.stdout)")
        let lead = try await api.send("GET", "/v1/leads/relaydeny@example.com")
        #expect((lead.json["lead"] as? [String: Any])?["bounced"] as? Bool == false, "\(lead.body)")
        #expect(lead.json["suppressed"] as? Bool == false)
        let errors = harness.log.split(separator: "\n").filter {
            $0.hasPrefix("<3>") && $0.contains("relay \(relay) refused")
        }
        #expect(errors.count == 1, "one error line for the pause, not one per send: \(harness.log)")
    }

    @Test("a TLS set-up error (STARTTLS required, not offered) pauses the relay; /healthz is degraded with the cause")
    func configurationErrorIsReported() async throws {
        let harness = try await blocking { try DaemonHarness(scheduling: DaemonEndToEndTests.fastScheduling) }
        defer { harness.stopAll() }
        var text = try String(contentsOf: harness.configFile, encoding: .utf8)
        text = text.replacingOccurrences(of: "  security: none", with: "  security: starttls")
        try text.write(to: harness.configFile, atomically: true, encoding: .utf8)
        try await blocking { try harness.startDaemon() }
        let api = HTTPClient(base: try await blocking { try harness.waitForHTTP() }, token: harness.apiToken)
        #expect(try await api.send("POST", "/v1/leads", json: #"{"email": "ada@example.com"}"#).status == 201)
        let health = try #require(try await Self.pausedHealth(api), "no pause reported: \(harness.log)")
        #expect(health.json["status"] as? String == "degraded", "\(health.body)")
        let cause = try #require(Self.pauses(health).first?["cause"] as? String)
        #expect(cause.hasPrefix("relay configuration error (TLS or login): curl 64"), "\(cause)")
        #expect(try await api.metric("nurture_relay_up") == 0)
    }

    @Test("unsuppress over the API and the CLI: audited by who asked; refused when not suppressed or unsubscribed")
    func unsuppress() async throws {
        let harness = try await blocking { try DaemonHarness(scheduling: DaemonEndToEndTests.fastScheduling) }
        defer { harness.stopAll() }
        try await blocking { try harness.startDaemon() }
        let api = HTTPClient(base: try await blocking { try harness.waitForHTTP() }, token: harness.apiToken)
        for email in ["api@example.com", "cli@example.com", "leaver@example.com"] {
            #expect(try await api.send("POST", "/v1/leads", json: #"{"email": "\#(email)"}"#).status == 201)
        }
        for email in ["api@example.com", "cli@example.com"] {
            let bounced = try await api.send("POST", "/v1/leads/\(email)/events", json: #"{"type": "bounce"}"#)
            #expect(bounced.status == 200, "\(bounced.body)")
        }
        let left = try await api.send(
            "POST", "/v1/leads/leaver@example.com/events", json: #"{"type": "unsubscribe"}"#)
        #expect(left.status == 200)

        let undone = try await api.send(
            "POST", "/v1/leads/api@example.com/events", json: #"{"type": "unsuppress"}"#)
        #expect(undone.status == 200, "\(undone.body)")
        #expect(undone.changes.first == "unsuppressed (by api token e2e)", "\(undone.body)")
        #expect(
            undone.changes.contains("resumed `marketing-nurture` after step `welcome`")
                || undone.changes.contains { $0.hasPrefix("resumed `marketing-nurture`") }, "\(undone.body)")
        let lead = try await api.send("GET", "/v1/leads/api@example.com")
        #expect((lead.json["lead"] as? [String: Any])?["bounced"] as? Bool == false, "\(lead.body)")
        #expect(lead.json["suppressed"] as? Bool == false)
        #expect((lead.json["enrollments"] as? [[String: Any]])?.last?["ended_at"] is NSNull, "\(lead.body)")
        let again = try await api.send("POST", "/v1/leads/api@example.com/events", json: #"{"type": "unsuppress"}"#)
        #expect(again.status == 409, "\(again.body)")
        #expect(again.body.contains("api@example.com is not suppressed"), "\(again.body)")
        let refused = try await api.send(
            "POST", "/v1/leads/leaver@example.com/events", json: #"{"type": "unsuppress"}"#)
        #expect(refused.status == 409)
        #expect(refused.body.contains("lead's own choice"), "\(refused.body)")

        let cli = try await blocking { try harness.nurture(["leads", "unsuppress", "cli@example.com"]) }
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.hasPrefix("unsuppressed cli@example.com\n  unsuppressed (by cli)"), "\(cli.stdout)")
        let shown = try await blocking { try harness.nurture(["leads", "show", "cli@example.com"]) }
        #expect(shown.stdout.contains("unsuppressed: cli unsuppressed cli@example.com"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("\n  bounced\n"), "\(shown.stdout)")
        let unsubscribed = try await blocking { try harness.nurture(["leads", "unsuppress", "leaver@example.com"]) }
        #expect(unsubscribed.status == 1)
        #expect(
            unsubscribed.stderr.contains(
                "cannot unsuppress leaver@example.com: leaver@example.com unsubscribed: that is the lead's own choice"),
            "\(unsubscribed.stderr)")
        let missing = try await blocking { try harness.nurture(["leads", "unsuppress", "nobody@example.com"]) }
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no lead nobody@example.com in the store"), "\(missing.stderr)")
    }
}

/// Runs blocking work (a child process, a synchronous wait) on a Dispatch thread, not on the cooperative pool.
private func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
