import Foundation
import NurtureTestSupport
import Testing

/// The console in the real `nurture run`: a user made with `nurture console add-user` (password on standard input)
/// logs in over loopback HTTP; a session key file that is too short stops the start with a line that says why.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct ConsoleEndToEndTests {
    @Test func aUserAddedFromTheCommandLineLogsInToTheDaemonsConsole() async throws {
        let harness = try DaemonHarness()
        defer { harness.stopAll() }
        let state = harness.root.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        // config/demo.yaml's console section reads ../state/demo-console-users.
        let users = state.appendingPathComponent("demo-console-users").path
        let add = { (role: String, password: String) in
            try CLIRunner.run(
                ["console", "add-user", "ana", "--role", role, "--users-file", users], input: password + "\n",
                in: harness.root)
        }
        let added = try add("viewer", "a long enough password")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("added console user ana (viewer)"))
        let mode = try FileManager.default.attributesOfItem(atPath: users)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the users file is the owner's only")
        let updated = try add("admin", "a long enough password")
        #expect(updated.stdout.contains("updated console user ana (admin)"), "\(updated.stdout)")
        let text = try String(contentsOfFile: users, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.hasPrefix("ana:admin:$2b$"))
        #expect(!text.contains("a long enough password"))
        let short = try add("admin", "short")
        #expect(short.status != 0)
        #expect(short.stderr.contains("at least 12 characters"))
        let badRole = try add("root", "a long enough password")
        #expect(badRole.status != 0)
        #expect(badRole.stderr.contains("use admin or viewer"))

        try harness.startDaemon()
        let client = ConsoleClient(address: try harness.waitForHTTP())
        let refused = try await client.send("GET", "/console")
        #expect(refused.status == 303)
        let form = try await client.send("GET", "/console/login")
        let token = try #require(Self.csrf(in: form.body))
        let login = try await client.send(
            "POST", "/console/login",
            form: [("csrf", token), ("username", "ana"), ("password", "a long enough password")])
        #expect(login.status == 303, "\(login.body)")
        #expect(login.location == "/console")
        let overview = try await client.send("GET", "/console")
        #expect(overview.status == 200)
        #expect(overview.body.contains("ana (admin)"))
        #expect(overview.body.contains("<svg id=\"chart\""))
        #expect(overview.body.contains("Last reload: none since the daemon started"))
        harness.signalDaemon(SIGHUP)
        #expect(harness.wait(timeout: 20) { harness.log.contains("reloaded") }, "\(harness.log)")
        let reloaded = try await client.send("GET", "/console")
        #expect(
            reloaded.body.range(
                of: #"Last reload: \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC, accepted"#, options: .regularExpression)
                != nil, "\(reloaded.body)")
        #expect(harness.log.contains("console_login"))
        #expect(!harness.log.contains("a long enough password"), "the password never reaches the log")
    }

    @Test func aShortSessionKeyStopsTheStartAndSaysWhy() throws {
        let harness = try DaemonHarness()
        defer { harness.stopAll() }
        let key = harness.root.appendingPathComponent("config/console-session-key").path
        _ = FileManager.default.createFile(
            atPath: key, contents: Data("short".utf8), attributes: [.posixPermissions: 0o600])
        try harness.editConfiguration(
            "  users_file: ../state/demo-console-users",
            with: "  users_file: ../state/demo-console-users\n  session_key_file: console-session-key")
        try harness.startDaemon()
        let status = harness.waitForDaemonExit(timeout: 60)
        #expect(status != nil && status != 0)
        #expect(harness.log.contains("fewer than 32 bytes"), "\(harness.log.suffix(2_000))")
    }

    /// The first hidden `csrf` field's value in `html`.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
