import Foundation
import NurtureTestSupport
import Testing

/// The daemon's HTTP interface, tested against the real `nurture run` over loopback HTTP, with a real aiosmtpd
/// capture server and a real SQLite store.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct HTTPEndToEndTests {
    static let scheduling = DaemonEndToEndTests.fastScheduling

    /// The first step at once, the next one 40 s later: a change made through the API after the first step
    /// must cancel it (it never leaves) and act at once.
    static let delays: [String: String] = [
        "welcome": "0", "guide": "40s", "case-study": "40s", "webinar": "40s", "check-in": "40s", "intro": "0",
        "follow-up": "40s", "resources": "40s", "last-note": "40s",
    ]

    /// Waits without blocking a thread (other suites block theirs), checking every 100 ms.
    static func eventually(timeout: Double = 60, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }

    /// The ledger state of `step` for the lead, from the API.
    static func state(of step: String, _ lead: HTTPClient.Reply) -> String? {
        (lead.json["sends"] as? [[String: Any]] ?? []).last { $0["step"] as? String == step }?["state"] as? String
    }

    static func mails(_ harness: DaemonHarness, to address: String) -> [CapturedMail] {
        harness.captured().filter { $0.to.contains(address) }
    }

    @Test(
        "intake enrolls; a stage change moves the lead to its owner's sales sequence before the next send; a reply ends it"
    )
    func intakeStageChangeAndReply() async throws {
        let harness = try DaemonHarness(delays: Self.delays, scheduling: Self.scheduling)
        defer { harness.stopAll() }
        try harness.startDaemon()
        let api = HTTPClient(base: try harness.waitForHTTP(), token: harness.apiToken)

        let created = try await api.send(
            "POST", "/v1/leads",
            json:
                #"{"email": "ana@example.com", "first_name": "Ana", "company": "Globex", "stage": "lead", "attributes": {"plan": "pro"}}"#
        )
        #expect(created.status == 201, "\(created.body)")
        #expect(created.changes.contains("enrolled in marketing-nurture"), "\(created.body)")
        #expect((created.json["enrollment"] as? [String: Any])?["sequence"] as? String == "marketing-nurture")
        let again = try await api.send("POST", "/v1/leads", json: #"{"email": "ANA@example.com", "title": "CTO"}"#)
        #expect(again.status == 200, "intake is idempotent by address: \(again.body)")
        #expect((again.json["lead"] as? [String: Any])?["first_name"] as? String == "Ana")

        #expect(try await Self.eventually { !Self.mails(harness, to: "ana@example.com").isEmpty }, "\(harness.log)")
        let moved = try await api.send(
            "POST", "/v1/leads/ana@example.com/events", json: #"{"type": "stage", "stage": "sales-qualified"}"#)
        #expect(moved.status == 200, "\(moved.body)")
        #expect(moved.changes.contains { $0.hasPrefix("ended marketing-nurture") }, "\(moved.body)")
        #expect(moved.changes.contains("enrolled in inbound-sales"), "\(moved.body)")
        let owner = (moved.json["lead"] as? [String: Any])?["owner"] as? String
        #expect(owner == "priya" || owner == "marco", "round-robin assigns an owner: \(moved.body)")

        #expect(try await Self.eventually { Self.mails(harness, to: "ana@example.com").count >= 2 }, "\(harness.log)")
        let afterMove = Self.mails(harness, to: "ana@example.com")
        #expect(afterMove.map(DaemonEndToEndTests.stepOf) == ["welcome", "intro"])
        #expect(afterMove[1].from.contains("@acme-analytics.example") && !afterMove[1].from.contains("hello@"))
        #expect(
            afterMove[1].from.lowercased().contains(owner ?? "?"), "sales mail is From the owner: \(afterMove[1].from)")

        let replied = try await api.send("POST", "/v1/leads/ana@example.com/events", json: #"{"type": "reply"}"#)
        #expect(replied.status == 200, "\(replied.body)")
        #expect(replied.changes.contains { $0.hasPrefix("ended inbound-sales (replied)") }, "\(replied.body)")
        // A cancelled row is never claimed: the next steps of both sequences will not leave.
        let lead = try await api.send("GET", "/v1/leads/ana%40example.com")
        #expect(Self.state(of: "guide", lead) == "cancelled", "\(lead.body)")
        #expect(Self.state(of: "follow-up", lead) == "cancelled", "\(lead.body)")
        #expect(Self.state(of: "intro", lead) == "sent", "\(lead.body)")
        try await Task.sleep(for: .seconds(2))
        #expect(Self.mails(harness, to: "ana@example.com").count == 2, "nothing more was sent")
        let audit = try harness.nurture(["leads", "show", "ana@example.com"])
        #expect(audit.stdout.contains("token e2e"), "API changes are in the lead's audit: \(audit.stdout)")
    }

    @Test("one-click unsubscribe stops marketing mail; forged tokens and missing auth are refused; metrics move")
    func unsubscribeAuthAndMetrics() async throws {
        let harness = try DaemonHarness(delays: Self.delays, scheduling: Self.scheduling)
        defer { harness.stopAll() }
        try harness.startDaemon()
        let base = try harness.waitForHTTP()
        let api = HTTPClient(base: base, token: harness.apiToken)

        let anonymous = try await api.send("POST", "/v1/leads", json: #"{"email": "x@example.com"}"#, authorized: false)
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        let wrong = try await HTTPClient(base: base, token: harness.apiToken + "x").send(
            "POST", "/v1/leads", json: #"{"email": "x@example.com"}"#)
        #expect(wrong.status == 401)
        #expect(try await api.send("GET", "/v1/leads/x%40example.com").status == 404, "nothing was created")
        let badOwner = try await api.send("POST", "/v1/leads", json: #"{"email": "x@example.com", "owner": "zed"}"#)
        #expect(badOwner.status == 422 && badOwner.errorField == "owner", "\(badOwner.body)")
        let notJSON = try await api.send("POST", "/v1/leads", json: #"{"email": "#)
        #expect(notJSON.status == 400, "\(notJSON.body)")

        let sentBefore = try await api.metric(#"nurture_sends_total{state="sent",track="marketing"}"#)
        let created = try await api.send("POST", "/v1/leads", json: #"{"email": "bo@example.com", "first_name": "Bo"}"#)
        #expect(created.status == 201, "\(created.body)")
        #expect(try await Self.eventually { !Self.mails(harness, to: "bo@example.com").isEmpty }, "\(harness.log)")
        // The peer has the message before the daemon has its reply recorded: give the metric a moment.
        var sent = sentBefore
        for _ in 0..<100 where sent < sentBefore + 1 {
            try await Task.sleep(for: .milliseconds(100))
            sent = try await api.metric(#"nurture_sends_total{state="sent",track="marketing"}"#)
        }
        #expect(sent == sentBefore + 1)
        #expect(try await api.metric(#"nurture_delivery_seconds_count{outcome="accepted",track="marketing"}"#) >= 1)

        let header = Self.mails(harness, to: "bo@example.com")[0].headers["list-unsubscribe"] ?? ""
        let match = try #require(header.range(of: #"/unsubscribe/[0-9a-f]{64}"#, options: .regularExpression))
        let path = String(header[match])
        var forged = Array(path)
        forged[forged.count - 1] = forged.last == "0" ? "1" : "0"
        #expect(try await api.send("GET", String(forged), authorized: false).status == 404, "an altered token")
        #expect(
            try await api.send("GET", "/unsubscribe/" + String(repeating: "ab", count: 32), authorized: false).status
                == 404)
        // The client resolves `..`: this is GET /v1/leads without a token, refused before anything else.
        #expect(try await api.send("GET", "/unsubscribe/../v1/leads", authorized: false).status == 401)

        let page = try await api.send("GET", path, authorized: false)
        #expect(page.status == 200)
        #expect(
            page.body.contains(#"<button type="submit">Unsubscribe</button>"#) && page.body.contains("b**@example.com"))
        let stillSubscribed = try await api.send("GET", "/v1/leads/bo%40example.com")
        #expect(
            (stillSubscribed.json["lead"] as? [String: Any])?["unsubscribed"] as? Bool == false, "GET changes nothing")
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let empty = try await api.send("POST", path, body: Data(), headers: form, authorized: false)
        #expect(empty.status == 400, "a POST without List-Unsubscribe=One-Click changes nothing")
        let oneClick = try await api.send(
            "POST", path, body: Data("List-Unsubscribe=One-Click".utf8), headers: form, authorized: false)
        #expect(oneClick.status == 200 && oneClick.body.contains("no more marketing email"), "\(oneClick.body)")

        let lead = try await api.send("GET", "/v1/leads/bo%40example.com")
        #expect((lead.json["lead"] as? [String: Any])?["unsubscribed"] as? Bool == true)
        #expect(Self.state(of: "guide", lead) == "cancelled", "the next planned send is cancelled: \(lead.body)")
        #expect(Self.mails(harness, to: "bo@example.com").count == 1)

        let health = try await api.send("GET", "/healthz", authorized: false)
        #expect(health.status == 200 && health.json["status"] as? String == "ok", "\(health.body)")

        let erased = try await api.send("DELETE", "/v1/leads/bo@example.com")
        #expect(erased.status == 200 && erased.json["erased"] as? Bool == true, "\(erased.body)")
        #expect(try await api.send("GET", "/v1/leads/bo%40example.com").status == 404)
        let shown = try harness.nurture(["log", "--lead", "bo@example.com"])
        #expect(!shown.stdout.contains("bo@example.com"), "the send log keeps no trace of the address")
        let back = try await api.send("POST", "/v1/leads", json: #"{"email": "bo@example.com"}"#)
        #expect(back.status == 201 && back.changes.contains { $0.contains("suppression list") }, "\(back.body)")
        #expect(harness.log.contains("http method=POST path=/unsubscribe/…"), "tokens are masked in the log")
        #expect(!harness.log.contains(harness.apiToken), "the API token never reaches the log")
    }
}
