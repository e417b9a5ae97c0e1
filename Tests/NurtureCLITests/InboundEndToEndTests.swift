import Foundation
import NurtureTestSupport
import Testing

/// The real `nurture run` watching a real Dovecot mailbox, with a real aiosmtpd relay and SQLite store: a reply
/// delivered to the salesperson's mailbox ends the lead's sequence, and `why`, `leads show`, `inbound status`,
/// `/healthz` and `/metrics` say so.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun && DovecotPeer.canRun,
        "needs aiosmtpd and Dovecot (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct InboundDaemonEndToEndTests {
    @Test("a reply in the salesperson's mailbox ends the enrollment; inbound status, /healthz and /metrics show it")
    func replyEndsTheEnrollment() async throws {
        let dovecot = try await offPool { try DovecotPeer() }
        let passwordFile = try dovecot.passwordFile()
        let inbound = """
            inbound:
              mailboxes:
                - name: sales-marco
                  url: imap://127.0.0.1:\(dovecot.port)/INBOX
                  security: none
                  username: \(DovecotPeer.user)
                  password_file: \(passwordFile.path)
                  poll_interval: 5s
                  owner: marco
            """
        let harness = try await offPool {
            try DaemonHarness(
                delays: DaemonEndToEndTests.firstStepOnly,
                scheduling: DaemonEndToEndTests.fastScheduling + "\n" + inbound)
        }
        defer { harness.stopAll() }
        let lead = "ben@example.org"
        let added = try await offPool {
            try harness.nurture(["leads", "add", lead, "--stage", "sales-qualified", "--owner", "marco"])
        }
        #expect(added.status == 0, "\(added.stderr)")
        try await offPool { try harness.startDaemon() }
        let api = HTTPClient(base: try await offPool { try harness.waitForHTTP() }, token: harness.apiToken)
        let sent = try await offPool { harness.wait(timeout: 30) { !harness.captured().isEmpty } }
        let intro = try #require(harness.captured().first, "no intro sent: \(harness.log)")
        #expect(sent)

        var reply = try String(
            contentsOf: CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/inbound/e2e/reply.eml.template"),
            encoding: .utf8)
        for (key, value) in [
            "LEAD": lead, "SALESPERSON": "marco@acme-analytics.example", "MESSAGE_ID": intro.messageID,
            "DATE": "Tue, 01 Dec 2026 14:30:00 +0000",
        ] {
            reply = reply.replacingOccurrences(of: "{{\(key)}}", with: value)
        }
        try dovecot.deliver(Array(reply.replacingOccurrences(of: "\n", with: "\r\n").utf8))

        let replied = try await offPool {
            harness.wait(timeout: 30) {
                (try? harness.nurture(["why", lead]))?.stdout.contains("replied") == true
            }
        }
        #expect(replied, "the reply was not acted on: \(harness.log)")
        let show = try await offPool { try harness.nurture(["leads", "show", lead]) }
        #expect(show.stdout.contains("replied"), "\(show.stdout)")

        let status = try await offPool { try harness.nurture(["inbound", "status"]) }
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("sales-marco (marco): UIDVALIDITY "), "\(status.stdout)")
        #expect(status.stdout.contains("last UID 1; last checked "), "\(status.stdout)")
        #expect(status.stdout.contains("sales-marco UID 1 reply lead \(lead) (rule message-id)"), "\(status.stdout)")

        let health = try await api.send("GET", "/healthz", authorized: false)
        let mailboxes = health.json["mailboxes"] as? [[String: Any]] ?? []
        #expect(mailboxes.first?["name"] as? String == "sales-marco", "\(health.body)")
        #expect(mailboxes.first?["up"] as? Bool == true, "\(health.body)")
        #expect(try await api.metric(#"nurture_inbound_messages_total{mailbox="sales-marco",kind="reply"}"#) == 1)
        #expect(try await api.metric(#"nurture_inbound_actions_total{action="replied"}"#) == 1)
        #expect(try await api.metric(#"nurture_mailbox_up{mailbox="sales-marco"}"#) == 1)

        let flags = try dovecot.flags()
        #expect(flags[1].map { !$0.contains("\\Seen") && $0.contains("$NurtureProcessed") } == true, "\(flags)")
        harness.signalDaemon(SIGTERM)
        #expect(try await offPool { harness.waitForDaemonExit() } == 0, "\(harness.log)")
    }
}
