import Foundation
import NurtureTestSupport
import Testing

/// Runs `body` with a copy of config and templates whose store lives in the copy's own `state/` folder.
private func withStore<T>(_ body: (Store) throws -> T) throws -> T {
    try CLIRunner.withCopy { root in
        let state = root.appendingPathComponent("state").path
        try CLIRunner.edit(
            "config/nurture.yaml", in: root, replacing: "  directory: ../state", with: "  directory: \(state)")
        return try body(Store(root: root))
    }
}

/// A temporary configuration and store, driven through the real `nurture` binary.
private struct Store {
    let root: URL

    func nurture(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--config", "config/nurture.yaml"], in: root)
    }

    /// Adds a lead and fails the test when `leads add` fails.
    func add(_ email: String, _ fields: [String] = []) throws {
        let result = try nurture(["leads", "add", email] + fields)
        #expect(result.status == 0, "leads add \(email): \(result.stderr)")
    }
}

/// The lines of `text`, without the empty last one.
private func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

/// `line` parsed as one JSON object.
private func object(_ line: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try #require(value as? [String: Any], "not a JSON object: \(line)")
}

@Suite("nurture why, log and status on a store without the daemon", .ownQueue)
struct OperatorCommandsTests {
    @Test("why on an unknown address fails and says how to add the lead")
    func whyUnknown() throws {
        try withStore { store in
            try store.add("dana@example.com")  // the store exists (a missing one is refused, StorageFaultTests)
            let result = try store.nurture(["why", "nobody@example.com"])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "no lead nobody@example.com in the store (check the address, or add it with `nurture leads add`)"))
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("why on something that is not an address fails naming the problem")
    func whyNotAnAddress() throws {
        try withStore { store in
            let result = try store.nurture(["why", "dana.example.com"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("email address \"dana.example.com\" has no '@'"))
        }
    }

    @Test("why on a freshly added lead: enrolled, and the daemon plans the first send")
    func whyFreshLead() throws {
        try withStore { store in
            try store.add("dana@example.com", ["--first-name", "Dana", "--stage", "sales-qualified"])
            let result = try store.nurture(["why", "dana@example.com"])
            #expect(result.status == 0, "\(result.stderr)")
            let output = lines(result.stdout)
            #expect(output.first == "Lead dana@example.com (Dana)")
            #expect(output.contains("  stage sales-qualified, source inbound, owner priya"))
            #expect(output.contains("  unsubscribed no, bounced no, suppressed no"))
            #expect(output.contains { $0.hasPrefix("  #1 inbound-sales: active since ") })
            #expect(output.contains("Sends:") && output.contains("  none"))
            #expect(
                output.last
                    == "why: active enrollment in `inbound-sales` but no send planned yet: the daemon plans it on its"
                    + " next pass (is `nurture run` running?)")
        }
    }

    @Test("why explains leads that get nothing: no rule, unsubscribed, terminal stage")
    func whyNothingToSend() throws {
        try withStore { store in
            try store.add(
                "olga@example.com", ["--stage", "sales-qualified", "--source", "outbound", "--owner", "marco"])
            try store.add("uma@example.com", ["--unsubscribed", "yes"])
            try store.add("carl@example.com", ["--stage", "customer"])
            let olga = try store.nurture(["why", "olga@example.com"])
            #expect(olga.status == 0, "\(olga.stderr)")
            #expect(
                lines(olga.stdout).last
                    == "why: not enrolled: no enrollment rule for stage sales-qualified and source outbound")
            let uma = try store.nurture(["why", "uma@example.com"])
            #expect(lines(uma.stdout).contains("  unsubscribed yes, bounced no, suppressed yes"))
            #expect(lines(uma.stdout).last == "why: unsubscribed: nothing more will be sent")
            let carl = try store.nurture(["why", "carl@example.com"])
            #expect(lines(carl.stdout).last == "why: stage customer receives nothing: nothing more will be sent")
        }
    }

    @Test("log on an empty store prints nothing and succeeds, in text and JSON")
    func emptyLog() throws {
        try withStore { store in
            try store.add("dana@example.com")
            for arguments in [["log"], ["log", "--json"], ["log", "--json", "--since", "1d", "--status", "sent"]] {
                let result = try store.nurture(arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                #expect(result.stdout.isEmpty, "\(arguments)")
            }
        }
    }

    @Test("status prints every state, the limits in force and the lead count")
    func status() throws {
        try withStore { store in
            try store.add("dana@example.com")
            try store.add("ben@example.org", ["--stage", "sales-qualified", "--owner", "marco"])
            let result = try store.nurture(["status"])
            #expect(result.status == 0, "\(result.stderr)")
            let output = lines(result.stdout)
            #expect(output.first == "Queue by state:")
            for state in ["planned", "in-flight", "sent", "deferred", "failed", "unknown", "held", "skipped"] {
                #expect(output.contains("  \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) 0"), "\(state)")
            }
            #expect(output.contains("Next due: nothing waiting"))
            #expect(output.contains("Sent: 0 in the last hour, 0 in the last 24 hours"))
            #expect(output.contains("  global: no limit"))
            #expect(output.contains("  salesperson daily default: 80"))
            #expect(
                output.contains("  marketing <hello@acme-analytics.example>: 2000 per day; 0 sent in the last 24 h"))
            #expect(output.contains("  priya <priya@acme-analytics.example>: 60 per day; 0 sent in the last 24 h"))
            #expect(
                output.contains(
                    "  lena <lena@acme-analytics.example>: 80 per day (default, away); 0 sent in the last 24 h"))
            #expect(output.last == "Leads: 2")
        }
    }

    @Test("status --json is one object with the same figures")
    func statusJSON() throws {
        try withStore { store in
            try store.add("dana@example.com")
            let result = try store.nurture(["status", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(lines(result.stdout).count == 1)
            let status = try object(result.stdout)
            #expect(status["leads"] as? Int == 1)
            #expect(status["next_due"] is NSNull)
            let states = try #require(status["states"] as? [String: Int])
            #expect(states["planned"] == 0 && states["cancelled"] == 0 && states.count == 9)
            let limits = try #require(status["limits"] as? [String: Any])
            #expect(limits["salesperson_daily_default"] as? Int == 80)
            #expect(limits["global_per_minute"] is NSNull)
            let senders = try #require(status["senders"] as? [[String: Any]])
            #expect(senders.map { $0["name"] as? String } == ["marketing", "priya", "marco", "lena"])
        }
    }

    @Test(
        "bad log options fail with a message naming the option and what to give",
        arguments: [
            (["--since", "5x"], "--since 5x: not a duration; use a whole number and a unit, e.g. 30m, 2h or 1d"),
            (["--since", "yesterday"], "--since yesterday: not a duration"),
            (["--lead", "not an address"], "--lead not an address: email address \"not an address\" has no '@'"),
            (["--limit", "0"], "--limit 0: give a number of entries above 0"),
        ])
    func badLogOptions(arguments: [String], message: String) throws {
        try withStore { store in
            let result = try store.nurture(["log"] + arguments)
            #expect(result.status == 1)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("a send state the log does not know is refused by the argument parser, with the states it knows")
    func badLogStatus() throws {
        try withStore { store in
            let result = try store.nurture(["log", "--status", "bogus"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("'bogus'") && result.stderr.contains("--status"), "\(result.stderr)")
            for state in ["planned", "in-flight", "sent", "deferred", "failed", "unknown", "held", "skipped"] {
                #expect(result.stderr.contains("  - \(state)\n"), "\(result.stderr)")
            }
            #expect(result.stdout.isEmpty)
        }
    }
}

/// The commands against a store the real daemon wrote to, sending to a capturing SMTP server.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct OperatorCommandsDaemonTests {
    /// The first step of each sequence at once, the rest a week later.
    static let firstStepOnly: [String: String] = [
        "welcome": "0", "guide": "1w", "case-study": "1w", "webinar": "1w", "check-in": "1w", "intro": "0",
        "follow-up": "1w", "resources": "1w", "last-note": "1w",
    ]

    @Test("log (also --follow), why and status after the daemon sent a first step")
    func afterFirstSend() throws {
        let harness = try DaemonHarness(delays: Self.firstStepOnly)
        defer { harness.stopAll() }
        #expect(try harness.nurture(["leads", "add", "ana@example.com", "--first-name", "Ana"]).status == 0)
        let follow = try startFollow(harness)
        defer {
            if follow.process.isRunning { follow.process.terminate() }
            follow.process.waitUntilExit()
        }
        try harness.startDaemon()
        let sent = try harness.wait(timeout: 60) {
            try harness.nurture(["log", "--status", "sent"]).stdout.contains("ana@example.com")
        }
        #expect(sent, "daemon log:\n\(harness.log)")
        harness.signalDaemon(SIGTERM)
        #expect(harness.waitForDaemonExit() == 0)

        let json = try harness.nurture(["log", "--json", "--lead", "ana@example.com"])
        #expect(json.status == 0, "\(json.stderr)")
        let entries = try lines(json.stdout).map(object)
        let entry = try #require(entries.last)
        #expect(
            Set(entry.keys)
                == [
                    "at", "send_id", "lead", "sequence", "step", "message_id", "state", "attempt", "code", "reply",
                    "detail", "sender",
                ])
        #expect(entry["state"] as? String == "sent")
        #expect(entry["lead"] as? String == "ana@example.com")
        #expect(entry["sequence"] as? String == "marketing-nurture")
        #expect(entry["step"] as? String == "welcome")
        #expect(entry["attempt"] as? Int == 1)
        #expect(entry["code"] as? Int == 250)
        #expect(entry["sender"] as? String == "hello@acme-analytics.example")
        let messageID = try #require(entry["message_id"] as? String)

        let text = try harness.nurture(["log", "--limit", "1"])
        let line = try #require(lines(text.stdout).first)
        #expect(line.contains("  sent       ana@example.com  marketing-nurture/welcome  attempt 1  250 "))
        #expect(line.hasSuffix(messageID) || line.contains("\(messageID)  "))

        let followed = harness.wait(timeout: 10) { followOutput(follow).contains(messageID) }
        #expect(followed, "log --follow printed: \(followOutput(follow))")

        let why = try harness.nurture(["why", "ana@example.com"])
        #expect(why.status == 0, "\(why.stderr)")
        let whyLines = lines(why.stdout)
        #expect(
            whyLines.contains {
                $0.hasPrefix("  #") && $0.hasSuffix("marketing-nurture step 1 `welcome`: sent, 1 attempt")
            })
        #expect(whyLines.contains { $0.hasPrefix("      last reply: 250") })
        let answer = try #require(whyLines.last)
        #expect(answer.hasPrefix("why: next: step `guide` of `marketing-nurture`, due "), "\(answer)")
        #expect(answer.hasSuffix("(in 6d 23h), nothing holds it") || answer.hasSuffix("(in 7d), nothing holds it"))

        let status = try harness.nurture(["status"])
        #expect(lines(status.stdout).contains("  sent       1"))
        #expect(lines(status.stdout).contains("  planned    1"))
        #expect(lines(status.stdout).contains("Sent: 1 in the last hour, 1 in the last 24 hours"))
        #expect(
            lines(status.stdout).contains {
                $0.hasPrefix("Next due: ") && ($0.hasSuffix("(in 6d 23h)") || $0.hasSuffix("(in 7d)"))
            })
    }

    /// `nurture log --follow --json` in the background, its output going to a file.
    private func startFollow(_ harness: DaemonHarness) throws -> (process: Process, output: URL) {
        guard let binary = CLIRunner.binary else { throw CLIRunnerError.binaryNotFound }
        let output = harness.root.appendingPathComponent("follow.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["log", "--follow", "--json", "--config", harness.configFile.path]
        process.currentDirectoryURL = harness.root
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    private func followOutput(_ follow: (process: Process, output: URL)) -> String {
        (try? String(contentsOf: follow.output, encoding: .utf8)) ?? ""
    }
}
