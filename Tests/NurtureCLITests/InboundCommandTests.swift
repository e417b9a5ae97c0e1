import Foundation
import Testing

/// `nurture inbound classify` and `nurture inbound status` through the real binary, without a daemon or a mailbox.
@Suite("nurture inbound classify and status")
struct InboundCommandTests {
    static let reply = """
        From: Ada <ada@lead.example>\r
        To: Priya <priya@acme-analytics.example>\r
        Subject: Re: Quick question\r
        Date: Tue, 01 Dec 2026 14:30:00 +0000\r
        Message-ID: <r1@lead.example>\r
        In-Reply-To: <1.intro.x1y2@acme-analytics.example>\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Sounds good, let's talk on Thursday.\r

        """

    @Test("classify prints the classification, the evidence, the attribution and what it would do; writes nothing")
    func classify() throws {
        try CLIRunner.withStatefulCopy { root, nurture in
            let file = root.appendingPathComponent("reply.eml")
            try Data(Self.reply.utf8).write(to: file)
            let result = try nurture(["inbound", "classify", file.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("classification: reply"), "\(result.stdout)")
            #expect(result.stdout.contains("evidence: "))
            #expect(result.stdout.contains("attribution: not checked: no store at "), "\(result.stdout)")
            #expect(result.stdout.contains("would do: nothing"), "\(result.stdout)")
            #expect(result.stdout.hasSuffix("(nothing was changed)\n"))
            let state = root.appendingPathComponent("state")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? []
            #expect(!files.contains { $0.hasSuffix(".sqlite") }, "no store was created: \(files)")

            #expect(
                try nurture(["leads", "add", "ada@lead.example", "--stage", "sales-qualified", "--owner", "priya"])
                    .status == 0)
            let known = try nurture(["inbound", "classify", file.path])
            #expect(known.status == 0, "\(known.stderr)")
            // The lead has an active enrollment: tied by the sender's address (the Message-ID is no ledger one).
            #expect(
                known.stdout.contains("attribution: rule sender-address → lead ada@lead.example"), "\(known.stdout)")
            #expect(known.stdout.contains("would do: ends inbound-sales (replied)"), "\(known.stdout)")
            let why = try nurture(["why", "ada@lead.example"])
            #expect(!why.stdout.contains("replied"), "classify changed nothing: \(why.stdout)")
        }
    }

    @Test("classify names a file it cannot read")
    func missingFile() throws {
        try CLIRunner.withStatefulCopy { _, nurture in
            let result = try nurture(["inbound", "classify", "no-such.eml"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("cannot read no-such.eml"), "\(result.stderr)")
        }
    }

    @Test("status without watched mailboxes says so")
    func statusWithoutMailboxes() throws {
        try CLIRunner.withStatefulCopy { _, nurture in
            #expect(try nurture(["leads", "add", "ada@lead.example"]).status == 0)
            let result = try nurture(["inbound", "status"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("Mailboxes: none watched (no inbound.mailboxes in "), "\(result.stdout)")
            #expect(result.stdout.contains("Latest messages: none processed"))
        }
    }
}
