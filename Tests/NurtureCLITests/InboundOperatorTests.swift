import Foundation
import NurtureTestSupport
import Testing

/// `nurture why` and `nurture log --inbound` on a store holding incoming mail and a paused enrollment, written
/// the way the daemon's mailbox watcher writes them (rows put in with Python's sqlite3: this target links no
/// SQLite).
@Suite("nurture why and log --inbound show the incoming mail", .ownQueue)
struct InboundOperatorTests {
    /// A copy of config and templates whose store lives in the copy's own `state/` folder.
    private static func withRoot<T>(_ body: (URL) throws -> T) throws -> T {
        try CLIRunner.withCopy { root in
            let state = root.appendingPathComponent("state").path
            try CLIRunner.edit(
                "config/nurture.yaml", in: root, replacing: "  directory: ../state", with: "  directory: \(state)")
            return try body(root)
        }
    }

    private static func nurture(_ arguments: [String], in root: URL) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--config", "config/nurture.yaml"], in: root)
    }

    /// Runs SQL statements on the copy's store with Python's sqlite3; fails the test when Python does.
    private static func execute(_ statements: [String], in root: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", "-c",
                "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],timeout=10)\n"
                    + "for s in sys.argv[2:]: c.execute(s)\nc.commit()",
                root.appendingPathComponent("state/nurture.sqlite").path,
            ] + statements
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 sqlite3: \(message)")
    }

    /// A lead in a paused sales enrollment with an automatic reply and a reply attributed to it, and one
    /// unattributed newsletter in another mailbox.
    private static func seed(_ root: URL, now: Date) throws {
        let added = try nurture(["leads", "add", "dana@example.com", "--stage", "sales-qualified"], in: root)
        #expect(added.status == 0, "\(added.stderr)")
        let ms = { (seconds: Double) in String(Int64((now.timeIntervalSince1970 + seconds) * 1000)) }
        let columns =
            "mailbox, uid_validity, uid, at, message_id, from_address, subject, kind, evidence, rule,"
            + " lead_email, send_id, action"
        try execute(
            [
                "UPDATE enrollments SET paused_until = \(ms(3 * 86_400)) WHERE id = 1",
                """
                INSERT INTO inbound_messages (\(columns)) VALUES ('sales', 7, 41, \(ms(-120)), 'ooo@mail.example',
                    'dana@example.com', 'Out of office' || char(27) || '[31m', 'auto-reply', 'Auto-Submitted: auto-replied',
                    'sender-address', 'dana@example.com', NULL, 'paused inbound-sales until 2026-12-03T08:00:00Z')
                """,
                """
                INSERT INTO inbound_messages (\(columns)) VALUES ('bounces', 3, 9, \(ms(-60)), NULL,
                    'news@shop.example', 'Deals', 'unrelated', 'no reply marker', NULL, NULL, NULL,
                    'nothing: unrelated')
                """,
            ], in: root)
    }

    @Test("why says the enrollment is paused until when, by which message, and lists the incoming mail")
    func whyPaused() throws {
        try Self.withRoot { root in
            try Self.seed(root, now: Date())
            let result = try Self.nurture(["why", "dana@example.com"], in: root)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines.contains { $0.hasPrefix("  #1 inbound-sales: active since ") && $0.contains(", paused until ") })
            let incoming = try #require(lines.firstIndex(of: "Incoming mail:"), "\(result.stdout)")
            #expect(lines[incoming + 1].hasSuffix(" auto-reply in mailbox sales (UID 41), rule sender-address"))
            #expect(
                lines[incoming + 2]
                    == "      from dana@example.com, \"Out of office [31m\": paused inbound-sales until 2026-12-03T08:00:00Z"
            )
            let why = try #require(lines.last)
            #expect(why.hasPrefix("why: paused: out of office until "), "\(why)")
            #expect(
                why.contains(
                    "(automatic reply in mailbox sales from dana@example.com, subject \"Out of office [31m\", "))
            #expect(!result.stdout.contains("\u{1B}"), "no terminal escape from the mail reaches the terminal")
        }
    }

    @Test("log --inbound lists processed messages oldest first; --lead, --mailbox and --json apply")
    func logInbound() throws {
        try Self.withRoot { root in
            try Self.seed(root, now: Date())
            let all = try Self.nurture(["log", "--inbound"], in: root)
            #expect(all.status == 0, "\(all.stderr)")
            let lines = all.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines.first?.contains("  auto-reply   dana@example.com  sales#41  rule sender-address") == true)
            #expect(
                lines.last?.contains("  unrelated    unattributed  bounces#9  rule -  from news@shop.example") == true)
            #expect(!all.stdout.contains("\u{1B}"))
            let lead = try Self.nurture(["log", "--inbound", "--lead", "dana@example.com"], in: root)
            #expect(lead.stdout.split(separator: "\n").count == 1 && lead.stdout.contains("sales#41"))
            let mailbox = try Self.nurture(["log", "--inbound", "--mailbox", "bounces", "--json"], in: root)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(mailbox.stdout.utf8)) as? [String: Any])
            #expect(object["uid"] as? Int == 9 && object["kind"] as? String == "unrelated")
            #expect(object["lead"] is NSNull && object["rule"] is NSNull)
            let limited = try Self.nurture(["log", "--inbound", "--limit", "1"], in: root)
            #expect(limited.stdout.split(separator: "\n").count == 1 && limited.stdout.contains("bounces#9"))
            let sends = try Self.nurture(["log"], in: root)
            #expect(sends.status == 0 && sends.stdout.isEmpty, "the send log is unchanged by incoming mail")
        }
    }

    @Test(
        "options that do not fit incoming mail are refused, naming the option",
        arguments: [
            (["log", "--mailbox", "sales"], "--mailbox applies to incoming mail: add --inbound"),
            (["log", "--inbound", "--status", "sent"], "--sequence and --status apply to the send log"),
        ])
    func badInboundOptions(arguments: [String], message: String) throws {
        try Self.withRoot { root in
            let added = try Self.nurture(["leads", "add", "dana@example.com"], in: root)
            #expect(added.status == 0, "\(added.stderr)")
            let result = try Self.nurture(arguments, in: root)
            #expect(result.status == 1)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
