import Foundation
import NurtureConfig
import NurtureCore
import NurtureHTTP
import NurtureLog
import NurtureMetrics
import NurtureSQLite
import NurtureServer
import NurtureTestSupport
import Prometheus
import Testing

/// The console served by a real HTTP server over a real SQLite store, seeded with leads and sends in every state
/// the pages show, and a users file with an admin and a viewer.
enum ConsoleFixture {
    static let admin = (name: "ana", password: "correct horse battery staple")
    static let viewer = (name: "vic", password: "viewer password 0123")
    /// Hashed once for every test (bcrypt is slow on purpose).
    static let usersFile =
        "# console users\n" + ConsoleUser(name: admin.name, role: .admin, hash: ConsoleUsers.hash(admin.password)).line
        + "\n" + ConsoleUser(name: viewer.name, role: .viewer, hash: ConsoleUsers.hash(viewer.password)).line + "\n"

    /// A lead whose every shown value is markup or script.
    static let hostileEmail = "o'hara@example.com"
    static let script = "<script>alert(1)</script>"

    /// The ids the seed made.
    struct Seed {
        var sentSend: Int64
        var unknownSend: Int64
        var hostileSend: Int64
        var pausedEnrollment: Int64
        var activeEnrollment: Int64
    }

    /// Runs `body` with a client of the console (not logged in), the store and the seed.
    static func withConsole<T>(
        _ body: (ConsoleClient, SQLiteStore, Seed) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nurture-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let usersPath = directory.appendingPathComponent("console-users").path
        _ = FileManager.default.createFile(
            atPath: usersPath, contents: Data(usersFile.utf8), attributes: [.posixPermissions: 0o600])
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        var configuration = try HTTPTestSupport.configuration()
        configuration.console = ConsoleSettings(usersFile: usersPath)
        let seed = try await seed(store, configuration: configuration)
        var interface = HTTPInterface(
            store: store, configuration: { [configuration] in configuration },
            metrics: DaemonMetrics(registry: PrometheusCollectorRegistry()), wake: {},
            log: LogWriter(minimumLevel: .error), startedAt: Date())
        interface.console = try ConsoleRuntime.make(
            settings: try #require(configuration.console), listenHost: configuration.http.host, store: store)
        return try await HTTPTestSupport.serve(interface, settings: configuration.http) { address in
            try await body(ConsoleClient(address: address), store, seed)
        }
    }

    /// Logs `client` in as `user`; returns the CSRF token of the session (read from the overview's logout form).
    @discardableResult
    static func login(_ client: ConsoleClient, _ user: (name: String, password: String)) async throws -> String {
        let form = try await client.send("GET", "/console/login")
        let token = try #require(csrf(in: form.body))
        let reply = try await client.send(
            "POST", "/console/login", form: [("csrf", token), ("username", user.name), ("password", user.password)])
        guard reply.status == 303 else {
            throw ConsoleClient.Failure(description: "login: \(reply.status) \(reply.body)")
        }
        let overview = try await client.send("GET", "/console")
        return try #require(csrf(in: overview.body))
    }

    /// The first hidden `csrf` field's value in `html`.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    private static func seed(_ store: SQLiteStore, configuration: NurtureConfiguration) async throws -> Seed {
        let now = Date()
        let ann = try EmailAddress("ann@example.com")
        try await store.saveLead(
            Lead(email: ann, firstName: "Ann", company: "Globex", timeZone: "Europe/Berlin"), at: now)
        let annEnrollment = try await store.enroll(ann, in: "marketing-nurture", at: now, endingOthers: .stageChanged)
        let welcome = try await store.plan(send(annEnrollment, "welcome", 1, now), at: now)
        try await record(
            store, welcome, .deferred, code: 451, reply: "451 4.7.1 try later", sender: "news@acme.example", now)
        try await record(
            store, welcome, .sent, code: 250, reply: "250 2.0.0 queued as 77", sender: "news@acme.example", now)
        try await store.recordInbound(
            InboundRecord(
                mailbox: "marketing", uidValidity: 1, uid: 3, at: now, messageID: "<r@example.com>",
                from: "ann@example.com", subject: "Re: Welcome", kind: .reply, evidence: "In-Reply-To",
                rule: .messageID, leadEmail: ann, sendID: welcome.id, action: "recorded"))
        let guide = try await store.plan(send(annEnrollment, "guide", 2, now), at: now)
        try await store.record(
            guide.id,
            update: SendUpdate(
                state: .unknown, attempted: true, reason: "outcome unknown: the connection was lost",
                reasonKind: .outcomeUnknown),
            log: log(guide, .unknown, code: nil, reply: nil, sender: "news@acme.example", now), next: nil, at: now)

        let hostile = try EmailAddress(hostileEmail)
        try await store.saveLead(
            Lead(
                email: hostile, firstName: script, lastName: "\"Quote\" & 'Apostrophe'", company: "javascript:alert(2)",
                title: "<img src=x onerror=alert(3)>", attributes: ["site": "javascript:alert(4)", "<b>": script]),
            at: now)
        let hostileEnrollment = try await store.enroll(
            hostile, in: "marketing-nurture", at: now, endingOthers: .stageChanged)
        let hostileSend = try await store.plan(send(hostileEnrollment, "welcome", 1, now), at: now)
        try await record(
            store, hostileSend, .failed, code: 550, reply: "550 5.1.1 \(script) unknown", sender: "news@acme.example",
            now)

        let pat = try EmailAddress("pat@example.com")
        try await store.saveLead(Lead(email: pat, firstName: "Pat"), at: now)
        let patEnrollment = try await store.enroll(pat, in: "marketing-nurture", at: now, endingOthers: .stageChanged)
        try await store.apply(
            LeadChange(
                lead: Lead(email: pat, firstName: "Pat"),
                suppressionKey: configuration.addressKeying.suppressionKey(for: pat),
                steps: [.pause(enrollment: patEnrollment.id, until: now.addingTimeInterval(86_400))]),
            at: now)

        let bo = try EmailAddress("bo@example.com")
        try await store.saveLead(Lead(email: bo, hasBounced: true), at: now)
        try await store.suppress(configuration.addressKeying.suppressionKey(for: bo), reason: "bounced", at: now)
        return Seed(
            sentSend: welcome.id, unknownSend: guide.id, hostileSend: hostileSend.id,
            pausedEnrollment: patEnrollment.id, activeEnrollment: annEnrollment.id)
    }

    /// Plans `count` sends of the first step for `email` (saved as a lead), each in an enrollment of its own.
    static func planWelcomes(_ count: Int, to email: String, in store: any SendStore) async throws {
        let lead = try EmailAddress(email)
        try await store.saveLead(Lead(email: lead), at: Date())
        for _ in 0..<count {
            let enrollment = try await store.enroll(
                lead, in: "marketing-nurture", at: Date(), endingOthers: .stageChanged)
            _ = try await store.plan(send(enrollment, "welcome", 1, Date()), at: Date())
        }
    }

    /// The `href` of a page's Next link, as written (`&amp;` included); `nil` when there is none.
    static func nextLink(_ body: String) -> Substring? {
        body.components(separatedBy: "<a rel=\"next\" href=\"").dropFirst().first?.split(separator: "\"").first
    }

    static func send(_ enrollment: EnrollmentRecord, _ step: String, _ number: Int, _ now: Date) -> NewPlannedSend {
        NewPlannedSend(
            enrollmentID: enrollment.id, leadEmail: enrollment.leadEmail, sequence: enrollment.sequence, step: step,
            stepNumber: number, track: .marketing, dueAt: now, nextAttemptAt: now,
            messageID: "<\(enrollment.id).\(step)@acme.example>")
    }

    static func log(
        _ send: PlannedSend, _ state: SendState, code: Int?, reply: String?, sender: String?, _ now: Date
    ) -> SendLogEntry {
        SendLogEntry(
            at: now, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
            messageID: send.messageID, state: state, attempt: 1, code: code, reply: reply, sender: sender,
            recipientDomain: send.leadEmail.domain)
    }

    static func record(
        _ store: SQLiteStore, _ send: PlannedSend, _ state: SendState, code: Int, reply: String, sender: String,
        _ now: Date
    ) async throws {
        try await store.record(
            send.id,
            update: SendUpdate(
                state: state, nextAttemptAt: state == .deferred ? now : nil, attempted: true, code: code, reply: reply),
            log: log(send, state, code: code, reply: reply, sender: sender, now), next: nil, at: now)
    }
}
