import Foundation
import NurtureTestSupport
import Testing

/// The real `nurture run` process against a real aiosmtpd capture server, with delays of seconds.
/// Serialized: each test runs a daemon, a peer and SQLite with fsync, and they would starve each other.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct DaemonEndToEndTests {
    /// Fast retries, no jitter, so tests finish in seconds.
    static let fastScheduling = """
        scheduling:
          retry_first: 1s
          retry_max: 2s
          sales_jitter: 0
        """

    /// Every step one second after the previous.
    static let oneSecondSteps: [String: String] = [
        "welcome": "0", "guide": "1s", "case-study": "1s", "webinar": "1s", "check-in": "1s", "intro": "0",
        "follow-up": "1s", "resources": "1s", "last-note": "1s",
    ]

    /// Only the first step of each sequence within the test; the rest a week later.
    static let firstStepOnly: [String: String] = [
        "welcome": "0", "guide": "1w", "case-study": "1w", "webinar": "1w", "check-in": "1w", "intro": "0",
        "follow-up": "1w", "resources": "1w", "last-note": "1w",
    ]

    static func stepOf(_ mail: CapturedMail) -> String {
        // Message-IDs are <enrollment.step.unique@domain> (see StepPlanner).
        let parts = mail.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")).split(separator: ".")
        return parts.count > 1 ? String(parts[1]) : ""
    }

    @Test("both tracks are delivered in order, marketing from the marketing sender, sales from the owner")
    func bothTracksInOrder() throws {
        let harness = try DaemonHarness(delays: Self.oneSecondSteps, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        #expect(try harness.nurture(["leads", "add", "ana@example.com", "--first-name", "Ana"]).status == 0)
        let ben = try harness.nurture([
            "leads", "add", "ben@example.org", "--first-name", "Ben", "--company", "Initech", "--stage",
            "sales-qualified", "--owner", "marco",
        ])
        #expect(ben.status == 0, "\(ben.stderr)")
        try harness.startDaemon()
        let done = harness.wait(timeout: 60) { harness.captured().count >= 9 }
        #expect(done, "captured \(harness.captured().count) of 9; daemon log:\n\(harness.log)")
        let mails = harness.captured()
        let ana = mails.filter { $0.to.contains("ana@example.com") }
        let ben2 = mails.filter { $0.to.contains("ben@example.org") }
        #expect(ana.map(Self.stepOf) == ["welcome", "guide", "case-study", "webinar", "check-in"])
        #expect(ben2.map(Self.stepOf) == ["intro", "follow-up", "resources", "last-note"])
        for mail in ana {
            #expect(mail.from.contains("hello@acme-analytics.example"))
            #expect(mail.headers["list-unsubscribe"] != nil)
            #expect(mail.headers["list-unsubscribe-post"] == "List-Unsubscribe=One-Click")
        }
        for mail in ben2 {
            #expect(mail.from.contains("marco@acme-analytics.example"), "\(mail.from)")
            #expect(mail.headers["reply-to"]?.contains("marco@acme-analytics.example") == true)
            #expect(mail.headers["list-unsubscribe"] == nil)
            #expect(mail.text.contains("Marco"))
        }
        #expect(Set(mails.map(\.messageID)).count == mails.count, "every Message-ID is unique")
        harness.signalDaemon(SIGTERM)
        #expect(harness.waitForDaemonExit() == 0)
        #expect(harness.log.contains("<6>send lead=ana@example.com sequence=marketing-nurture step=welcome"))
        // Hummingbird logs through swift-log: the same stream, the same format, its own priority.
        #expect(
            harness.log.contains(#"<6>nurture message="Server started and listening on 127.0.0.1:"#), "\(harness.log)")
        #expect(harness.log.contains("<5>stopping\n"), "the stop is logged when the scheduler's service stops")
    }

    @Test("a stage change mid-sequence ends marketing mail and starts the owner's sales sequence")
    func stageChangeSwitchesTrack() throws {
        var delays = Self.oneSecondSteps
        delays["guide"] = "3s"
        let harness = try DaemonHarness(delays: delays, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        #expect(try harness.nurture(["leads", "add", "cara@example.com", "--first-name", "Cara"]).status == 0)
        try harness.startDaemon()
        #expect(harness.wait(timeout: 20) { harness.captured().count >= 1 }, "\(harness.log)")
        let update = try harness.nurture([
            "leads", "update", "cara@example.com", "--stage", "sales-qualified", "--owner", "priya",
        ])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stdout.contains("ended marketing-nurture"))
        #expect(update.stdout.contains("enrolled in inbound-sales"))
        #expect(harness.wait(timeout: 30) { harness.captured().count >= 5 }, "\(harness.log)")
        Thread.sleep(forTimeInterval: 3)
        let steps = harness.captured().map(Self.stepOf)
        #expect(steps == ["welcome", "intro", "follow-up", "resources", "last-note"], "\(steps)")
        #expect(harness.captured().dropFirst().allSatisfy { $0.from.contains("priya@acme-analytics.example") })
    }

    @Test("unsubscribe stops mail; a 5xx bounce suppresses the lead; a 4xx is retried")
    func unsubscribeBounceAndRetry() throws {
        var delays = Self.oneSecondSteps
        delays["guide"] = "2s"
        let harness = try DaemonHarness(delays: delays, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        #expect(try harness.nurture(["leads", "add", "dave@example.com"]).status == 0)
        #expect(try harness.nurture(["leads", "add", "rcpt5xx-erin@example.com"]).status == 0)
        #expect(try harness.nurture(["leads", "add", "rcpt4xx-fred@example.com"]).status == 0)
        try harness.startDaemon()
        #expect(harness.wait(timeout: 20) { harness.captured().contains { $0.to.contains("dave@") } })
        let unsubscribe = try harness.nurture(["leads", "update", "dave@example.com", "--unsubscribed", "yes"])
        #expect(unsubscribe.status == 0, "\(unsubscribe.stderr)")
        #expect(unsubscribe.stdout.contains("unsubscribed"))
        let retried = harness.wait(timeout: 20) {
            harness.log.components(separatedBy: "lead=rcpt4xx-fred@example.com").count > 3
        }
        #expect(retried, "4xx was not retried:\n\(harness.log)")
        Thread.sleep(forTimeInterval: 4)
        #expect(harness.captured().filter { $0.to.contains("dave@") }.count == 1, "nothing after unsubscribing")
        #expect(harness.captured().allSatisfy { !$0.to.contains("erin") && !$0.to.contains("fred") })
        #expect(harness.log.contains("lead=rcpt5xx-erin@example.com"))
        #expect(harness.log.contains("outcome=failed"))
        #expect(harness.log.contains("outcome=deferred"))
        let erin = try harness.nurture(["leads", "show", "rcpt5xx-erin@example.com"])
        #expect(erin.stdout.contains("bounced"), "\(erin.stdout)")
        #expect(harness.log.contains("code=550"), "the bounce is the real peer's 550")
        #expect(harness.log.contains("code=450"), "the deferral is the real peer's 450")
    }

    @Test("SIGHUP with a broken template keeps the old templates; a good edit takes effect")
    func reloadKeepsLastGoodConfiguration() throws {
        let harness = try DaemonHarness(delays: Self.firstStepOnly, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        try harness.startDaemon()
        #expect(harness.wait(timeout: 10) { harness.log.contains("started") })
        let subject = harness.root.appendingPathComponent("templates/marketing-nurture/welcome.subject.mustache")
        let original = try String(contentsOf: subject, encoding: .utf8)
        try "Broken {{#lead.first_name}} never closed".write(to: subject, atomically: true, encoding: .utf8)
        harness.signalDaemon(SIGHUP)
        #expect(harness.wait(timeout: 10) { harness.log.contains("<3>reload_rejected") }, "\(harness.log)")
        #expect(harness.log.contains("welcome.subject.mustache"), "the problem names the file")
        #expect(try harness.nurture(["leads", "add", "gina@example.com", "--first-name", "Gina"]).status == 0)
        #expect(harness.wait(timeout: 10) { harness.captured().count == 1 }, "\(harness.log)")
        #expect(harness.captured().first?.subject == "Welcome to Acme Analytics, Gina", "the old template rendered")
        #expect(original.contains("{{company.name}}"))
        try "Edited subject for {{lead.first_name}}".write(to: subject, atomically: true, encoding: .utf8)
        harness.signalDaemon(SIGHUP)
        #expect(harness.wait(timeout: 10) { harness.log.contains("<5>reloaded") }, "\(harness.log)")
        #expect(try harness.nurture(["leads", "add", "hal@example.com", "--first-name", "Hal"]).status == 0)
        #expect(harness.wait(timeout: 10) { harness.captured().count == 2 }, "\(harness.log)")
        #expect(harness.captured().last?.subject == "Edited subject for Hal")
    }

    @Test("SIGTERM mid-run loses nothing: after a restart every send arrives exactly once")
    func sigtermLosesNothing() throws {
        let harness = try DaemonHarness(delays: Self.firstStepOnly, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        let count = 150
        try importLeads(count, into: harness)
        try harness.startDaemon()
        #expect(harness.wait(timeout: 30) { harness.captured().count >= 20 })
        harness.signalDaemon(SIGTERM)
        #expect(harness.waitForDaemonExit() == 0, "graceful stop exits 0")
        #expect(harness.log.contains("<5>stopped"))
        try harness.startDaemon()
        #expect(harness.wait(timeout: 60) { harness.captured().count >= count }, "\(harness.captured().count)")
        Thread.sleep(forTimeInterval: 1)
        let ids = harness.captured().map(\.messageID)
        #expect(ids.count == count)
        #expect(Set(ids).count == count, "no duplicates")
        #expect(!harness.log.contains("recorded as unknown"), "a graceful stop leaves nothing in flight")
    }

    @Test("SIGKILL ×5 over 5,000 sends on 4 connections: no duplicate, nothing lost, unknown only if the body went out")
    func sigkillLosesNothingAndDuplicatesOnlyUnknown() throws {
        // No catch-up pacing and a daily limit above the count: the kills make sends overdue, and the test is
        // about what a kill leaves, not about the limits.
        let harness = try DaemonHarness(
            delays: Self.firstStepOnly, scheduling: Self.fastScheduling + "\n  catch_up_after: 1h")
        defer { harness.stopAll() }
        let connections = 4
        try harness.editConfiguration(#"pool_size: \d+"#, with: "pool_size: \(connections)")
        try harness.editConfiguration(#"marketing_daily: \d+"#, with: "marketing_daily: 100000")
        let count = 5_000
        try importLeads(count, into: harness)
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<5 {
            try harness.startDaemon()
            // A random moment once sending is under way (the daemon starts in a fraction of a second).
            Thread.sleep(forTimeInterval: Double.random(in: 0.8...2.5, using: &generator))
            harness.signalDaemon(SIGKILL)
            harness.waitForDaemonExit()
            kills += 1
        }
        try harness.startDaemon()
        let finished = try harness.wait(timeout: 150) {
            let ledger = try Ledger.read(harness)
            return ledger.count == count && ledger.allSatisfy { $0.state == "sent" || $0.state == "unknown" }
        }
        harness.signalDaemon(SIGTERM)
        harness.waitForDaemonExit()
        #expect(finished, "not every send finished:\n\(harness.log.suffix(3000))")
        let ledger = try Ledger.read(harness)
        let unknown = Set(ledger.filter { $0.state == "unknown" }.map(\.messageID))
        let sent = Set(ledger.filter { $0.state == "sent" }.map(\.messageID))
        var arrivals: [String: Int] = [:]
        for mail in harness.captured() { arrivals[mail.messageID, default: 0] += 1 }
        let lost = sent.filter { arrivals[$0] == nil }
        let duplicated = arrivals.filter { $0.value > 1 }.map(\.key)
        let neverArrived = unknown.filter { arrivals[$0] == nil }
        // Transactions the server saw cut off after its 354 (mid-body, or before it could write its reply): the
        // kills that came while a body was on the wire, an upper bound for sends legitimately unknown and absent.
        let cutOff = harness.peerEvents().filter { $0 == "DATA-ABORTED" }.count
        let perStart = harness.log.matches(of: /recovered_unknown=(\d+)/).map { Int($0.output.1) ?? 0 }
        print(
            "SIGKILL test: \(count) sends, \(kills) kills, \(connections) connections, \(sent.count) sent,"
                + " \(unknown.count) unknown, \(arrivals.count) distinct arrivals, \(duplicated.count) duplicated,"
                + " unknown-never-arrived \(neverArrived.count) (bodies cut off mid-transfer at the server: \(cutOff));"
                + " unknown found at each start: \(perStart)")
        #expect(ledger.count == count)
        #expect(sent.count + unknown.count == count, "every send ends sent or unknown")
        #expect(lost.isEmpty, "recorded as sent but never arrived: \(lost.prefix(5))")
        #expect(duplicated.isEmpty, "duplicates: \(duplicated)")
        // A send is unknown only while its body was on the wire at a kill: at most one per connection per kill.
        #expect(perStart.allSatisfy { $0 <= connections }, "\(perStart)")
        #expect(unknown.count <= connections * kills)
        // An unknown send that never arrived must be one whose body the kill cut off mid-transfer (the server saw
        // the 354 and then lost the connection); an unknown that never started its body would have no such cut.
        #expect(neverArrived.count <= cutOff, "unknown but never on the wire: \(neverArrived.prefix(5))")
    }

    @Test(
        "SIGTERM with a slow relay: unstarted claims wait again at once, only transfers at the deadline may be unknown")
    func sigtermWithSlowRelayReleasesUnstartedClaims() throws {
        let harness = try DaemonHarness(delays: Self.firstStepOnly, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        let connections = 4
        try harness.editConfiguration(#"pool_size: \d+"#, with: "pool_size: \(connections)")
        // `slowdot` recipients: the peer captures the message, then answers the final dot only after 3 s.
        let count = 40
        try importLeads(count, into: harness, localPart: "slowdot")
        try harness.startDaemon(arguments: ["--stop-timeout", "1"])
        #expect(harness.wait(timeout: 30) { harness.captured().count >= connections }, "\(harness.log.suffix(2000))")
        harness.signalDaemon(SIGTERM)
        #expect(harness.waitForDaemonExit() == 0)
        let stopped = try Ledger.read(harness)
        let inFlight = stopped.filter { $0.state == "in-flight" }.count
        let waiting = stopped.filter { $0.state == "planned" }.count
        let sentAtStop = stopped.filter { $0.state == "sent" }.count
        #expect(harness.log.contains("stop_timeout"), "the deadline came while the slow transfers ran")
        #expect(inFlight <= connections, "only transfers in progress stay in flight: \(inFlight)")
        #expect(waiting + inFlight + sentAtStop == count)
        #expect(harness.log.contains("are waiting again"), "claims were given back before the deadline")

        try harness.startDaemon(arguments: ["--stop-timeout", "1"])
        #expect(harness.wait(timeout: 20) { harness.log.matches(of: /recovered_unknown=/).count == 2 })
        harness.signalDaemon(SIGKILL)
        harness.waitForDaemonExit()
        let recoveredUnknown = harness.log.matches(of: /recovered_unknown=(\d+)/).last.map { Int($0.output.1) ?? -1 }
        let recoveredRequeued = harness.log.matches(of: /recovered_requeued=(\d+)/).last.map { Int($0.output.1) ?? -1 }
        let captured = Set(harness.captured().map(\.messageID))
        let recovered = try Ledger.read(harness).filter { $0.state == "unknown" }.map(\.messageID)
        let neverArrived = recovered.filter { !captured.contains($0) }
        print(
            "SIGTERM test: \(count) sends claimed, \(connections) connections, stop-timeout 1 s, relay replies after 3 s:"
                + " \(waiting) waiting again at the stop, \(inFlight) in progress at the deadline, \(sentAtStop) sent;"
                + " at the next start \(recoveredUnknown ?? -1) unknown, \(recoveredRequeued ?? -1) requeued,"
                + " unknown-never-arrived \(neverArrived.count)")
        #expect(recoveredUnknown == inFlight, "exactly the transfers cut off at the deadline are unknown")
        #expect(recovered.count == inFlight)
        #expect(neverArrived.isEmpty, "every unknown send's body reached the relay: \(neverArrived)")
    }

    @Test("sd_notify: READY, WATCHDOG, RELOADING then READY on SIGHUP, STOPPING on SIGTERM, to a real socket")
    func notifyProtocol() throws {
        let harness = try DaemonHarness(delays: Self.firstStepOnly, scheduling: Self.fastScheduling)
        defer { harness.stopAll() }
        let socket = harness.root.appendingPathComponent("notify.sock").path
        let received = harness.root.appendingPathComponent("notify.log")
        // A datagram socket playing systemd's notify socket, written in Python to keep C out of the tests.
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listener.arguments = [
            "python3", "-c",
            "import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\n"
                + "print('bound',flush=True)\nwhile True:\n  d=s.recv(4096).decode()\n"
                + "  open(sys.argv[2],'a').write(d.replace('\\n',' ')+'\\n')",
            socket, received.path,
        ]
        let ready = Pipe()
        listener.standardOutput = ready
        try listener.run()
        defer {
            kill(listener.processIdentifier, SIGKILL)  // children of the test runner may have SIGTERM blocked
            listener.waitUntilExit()
        }
        _ = ready.fileHandleForReading.availableData
        func datagrams() -> [String] {
            ((try? String(contentsOf: received, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        try harness.startDaemon(environment: ["NOTIFY_SOCKET": socket, "WATCHDOG_USEC": "1000000"])
        #expect(harness.wait(timeout: 10) { datagrams().contains { $0.hasPrefix("READY=1") } }, "\(datagrams())")
        #expect(harness.wait(timeout: 10) { datagrams().contains("WATCHDOG=1") }, "\(datagrams())")
        harness.signalDaemon(SIGHUP)
        #expect(
            harness.wait(timeout: 10) {
                let lines = datagrams()
                guard let reloading = lines.firstIndex(where: { $0.hasPrefix("RELOADING=1") }) else { return false }
                return lines[reloading...].contains { $0.hasPrefix("READY=1") }
            }, "\(datagrams())")
        #expect(datagrams().first { $0.hasPrefix("RELOADING=1") }?.contains("MONOTONIC_USEC=") == true)
        harness.signalDaemon(SIGTERM)
        #expect(harness.waitForDaemonExit() == 0)
        #expect(datagrams().contains("STOPPING=1"), "\(datagrams())")
        #expect(datagrams().contains { $0.contains("STATUS=") }, "a STATUS line with queue figures")
    }

    private func importLeads(_ count: Int, into harness: DaemonHarness, localPart: String = "lead") throws {
        var csv = "email,first_name\n"
        for index in 0..<count { csv += "\(localPart)\(index)@example.com,Lead\(index)\n" }
        let file = harness.root.appendingPathComponent("leads.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let result = try harness.nurture(["leads", "import", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(count) created"))
    }
}

/// The first-step ledger rows of the e2e store, read with Python's sqlite3 (the CLI test target links no SQLite).
struct Ledger {
    var messageID: String
    var state: String

    static func read(_ harness: DaemonHarness) throws -> [Ledger] {
        let database = harness.root.appendingPathComponent("state/nurture.sqlite").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys\nc=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',uri=True,timeout=10)\n"
                + "for m,s in c.execute(\"select message_id,state from planned_sends where step_number=1\"): print(m+'\\t'+s)",
            database,
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t")
            return parts.count == 2 ? Ledger(messageID: String(parts[0]), state: String(parts[1])) : nil
        }
    }
}
