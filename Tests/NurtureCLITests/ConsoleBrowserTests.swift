import Foundation
import Testing

/// The operator console in a real browser: Debian's headless Chromium, driven by Selenium through chromedriver
/// (`Tests/Browser/console_browser.py`), against the real `nurture run` with a console section, users made by
/// `nurture console add-user`, a real SQLite store and a real aiosmtpd capture server.
///
/// Chromium keeps both cores busy while it runs, so `scripts/test.sh` runs this suite on its own, after the main
/// suite. `NURTURE_CONSOLE_SCREENSHOTS=DIR` copies the screenshots into DIR (e.g. `docs/images`).
@Suite(
    .serialized,
    .enabled(
        if: BrowserPeer.shouldRun,
        "needs chromium, chromium-driver, Selenium for python3 and aiosmtpd (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"
    ))
struct ConsoleBrowserTests {
    /// The first step at once and the next ones an hour later: every lead has exactly one send during the test.
    static let delays: [String: String] = [
        "welcome": "0", "guide": "1h", "case-study": "1h", "webinar": "1h", "check-in": "1h", "intro": "0",
        "follow-up": "1h", "resources": "1h", "last-note": "1h",
    ]
    /// A lead's first name that would be an element, and run script, if a page did not escape it.
    static let markup = "<img src=x onerror=alert(1)>"
    /// Every page the walk photographs (`console-<name>.png`).
    static let pages = [
        "login", "overview", "sequences", "funnel", "sends", "sends-unknown", "send", "lead", "lead-markup", "preview",
        "resent",
    ]

    @Test(
        "log in, filter the send log, open a lead, preview, resend an unknown send; keyboard, no errors, inert markup")
    func walkThroughTheConsole() async throws {
        #expect(
            BrowserPeer.missing.isEmpty,
            "missing: \(BrowserPeer.missing.joined(separator: ", ")) (bash scripts/install-deps.sh)")
        try #require(BrowserPeer.missing.isEmpty && DaemonHarness.shouldRun)
        let harness = try DaemonHarness(
            delays: Self.delays, scheduling: DaemonEndToEndTests.fastScheduling + "\n  unknown_outcome: hold")
        defer { harness.stopAll() }

        // Two console users, made as an operator makes them.
        let users = harness.root.appendingPathComponent("config/console-users")
        let admin = Self.password()
        let viewer = Self.password()
        for (name, role, password) in [("admin", "admin", admin), ("viewer", "viewer", viewer)] {
            let added = try CLIRunner.run(
                ["console", "add-user", name, "--role", role, "--users-file", users.path], input: password + "\n",
                in: harness.root)
            try #require(added.status == 0, "console add-user \(name): \(added.stderr)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: users.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the users file is the owner's alone: \(String(mode ?? 0, radix: 8))")
        let text = try String(contentsOf: users, encoding: .utf8)
        #expect(!text.contains(admin) && !text.contains(viewer), "the users file holds hashes, never passwords")
        try Self.append("\nconsole:\n  users_file: console-users\n", to: harness.configFile)

        try harness.startDaemon()
        let api = HTTPClient(base: try harness.waitForHTTP(), token: harness.apiToken)
        let base = api.base
        let leads = [
            #"{"email": "ana@example.com", "first_name": "Ana", "company": "Globex"}"#,
            #"{"email": "bo@example.com", "first_name": "Bo", "company": "Initech"}"#,
            #"{"email": "markup@example.com", "first_name": "\#(Self.markup)", "company": "\"><script>alert(2)</script>"}"#,
            // The peer closes the connection after this lead's final dot without a reply: an `unknown` send.
            #"{"email": "dropdot-1@example.com", "first_name": "Dee"}"#,
        ]
        for lead in leads {
            let created = try await api.send("POST", "/v1/leads", json: lead)
            #expect(created.status == 201, "\(created.body)")
        }
        var unknown: [String: Any]?
        let seeded = try await Self.eventually { harness.captured().count >= 3 }
        #expect(seeded, "captured \(harness.captured().count) of 3; daemon log:\n\(harness.log.suffix(4000))")
        _ = try await Self.eventually {
            unknown = try await Self.send(of: "dropdot-1@example.com", api: api)
            return unknown?["state"] as? String == "unknown"
        }
        let unknownNumber = unknown?["id"] as? Int
        let unknownID = try #require(
            unknownNumber.map { String($0) }, "no unknown send: \(unknown ?? [:])\n\(harness.log.suffix(4000))")

        let screenshots = harness.root.appendingPathComponent("console-screenshots")
        let adminFile = harness.root.appendingPathComponent("admin-password")
        let viewerFile = harness.root.appendingPathComponent("viewer-password")
        for (file, password) in [(adminFile, admin), (viewerFile, viewer)] {
            _ = FileManager.default.createFile(
                atPath: file.path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
        }
        print("console browser walk: screenshots in \(screenshots.path)")
        let (status, output) = try await BrowserPeer.walk(
            [
                "--base", base, "--username", "admin", "--password-file", adminFile.path, "--viewer", "viewer",
                "--viewer-password-file", viewerFile.path, "--lead", "ana@example.com", "--lead-prefix", "ana",
                "--sequence", "marketing-nurture", "--step", "welcome", "--unknown-send", unknownID,
                "--markup-lead", "markup@example.com", "--markup", Self.markup, "--screenshots", screenshots.path,
            ], in: harness.root)
        print(output)
        #expect(
            status == 0,
            "the browser walk failed (exit \(status)):\n\(output)\ndaemon log:\n\(harness.log.suffix(3000))")
        #expect(!output.contains("\nFAIL ") && output.contains("PASS "), "\(output)")

        // The resend reached the store and the relay: the send was tried again (the peer drops it again).
        let retried = try await Self.eventually(timeout: 30) {
            let send = try await Self.send(of: "dropdot-1@example.com", api: api)
            return (send?["attempts"] as? Int ?? 0) >= 2
        }
        let afterResend = try await Self.send(of: "dropdot-1@example.com", api: api) ?? [:]
        #expect(retried, "the resend did not send again: \(afterResend)")
        let audit = try harness.nurture(["leads", "show", "dropdot-1@example.com"])
        #expect(
            audit.stdout.contains("admin"), "the resend is in the lead's audit with the console user:\n\(audit.stdout)")

        for page in Self.pages {
            let file = screenshots.appendingPathComponent("console-\(page).png")
            #expect(FileManager.default.fileExists(atPath: file.path), "no screenshot of \(page)")
        }
        if let copy = BrowserPeer.screenshotCopy {
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: screenshots.path)
            where name.hasSuffix(".png") {
                let target = copy.appendingPathComponent(name)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: screenshots.appendingPathComponent(name), to: target)
            }
            print("console browser walk: screenshots copied to \(copy.path)")
        }
    }

    /// Waits without blocking a thread until `condition` holds (checked every 100 ms) or `timeout` passes.
    static func eventually(timeout: Double = 60, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// The lead's only send, as the API shows it.
    static func send(of email: String, api: HTTPClient) async throws -> [String: Any]? {
        let encoded = email.replacingOccurrences(of: "@", with: "%40")
        let lead = try await api.send("GET", "/v1/leads/\(encoded)")
        return (lead.json["sends"] as? [[String: Any]] ?? []).first
    }

    /// A random password of 32 letters and digits.
    static func password() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "")
    }

    static func append(_ text: String, to file: URL) throws {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }
}
