import Foundation
import Testing

/// The intake rules through the real binary: `nurture leads add` and a CSV file given to `nurture leads import`
/// are refused with the same field and message as the HTTP API (``IntakeRulesTests`` there), and write nothing.
@Suite("intake rules: CLI and CSV")
struct IntakeRulesTests {
    private func withCopy(_ body: (URL, ([String]) throws -> CLIRunner.Result) throws -> Void) throws {
        try CLIRunner.withStatefulCopy(body)
    }

    /// (CSV column, option, value, the `field: message` printed). Stage, source and VBANT answers are typed
    /// options on the command line (the argument parser lists the valid values); the CSV column is tested here.
    static let rules: [(column: String, option: String?, value: String, message: String)] = [
        (
            "owner", "--owner", "zed",
            "owner: `zed` is not a configured salesperson; use one of: priya, marco, lena, or none"
        ),
        ("time_zone", "--time-zone", "Mars/Olympus", "time_zone: `Mars/Olympus` is not an IANA time zone"),
        ("unsubscribed", "--unsubscribed", "maybe", "unsubscribed: `maybe` is not yes or no; write yes or no"),
        ("bounced", "--bounced", "perhaps", "bounced: `perhaps` is not yes or no; write yes or no"),
        ("title", "--title", String(repeating: "x", count: 1001), "title: is longer than 1000 characters"),
        ("stage", nil, "vip", "stage: `vip` is not a stage; use one of:"),
    ]

    @Test("nurture leads add refuses each broken rule with the field and what to do")
    func command() throws {
        try withCopy { _, nurture in
            for rule in Self.rules {
                guard let option = rule.option else { continue }
                let result = try nurture(["leads", "add", "new@example.com", option, rule.value])
                #expect(result.status == 1, "\(rule.column): \(result.stderr)")
                #expect(result.stderr.contains("new@example.com: \(rule.message)"), "\(result.stderr)")
            }
            let attribute = try nurture(["leads", "add", "new@example.com", "--attribute", "team size=40"])
            #expect(attribute.status == 1)
            #expect(attribute.stderr.contains("new@example.com: team size: is not a usable attribute name"))
            let field = try nurture(["leads", "add", "new@example.com", "--attribute", "stage=lead"])
            #expect(field.status != 0)
            #expect(field.stderr.contains("`stage` is a lead field; use its own option"), "\(field.stderr)")
            let stage = try nurture(["leads", "add", "new@example.com", "--stage", "vip"])
            #expect(stage.status != 0)
            #expect(stage.stderr.contains("sales-qualified"), "the valid stages are listed: \(stage.stderr)")
            let list = try nurture(["leads", "list"])
            #expect(list.stdout.isEmpty, "nothing was written: \(list.stdout)")
        }
    }

    @Test("a CSV row breaking a rule is reported with its line and the same message; the others are kept")
    func csv() throws {
        try withCopy { root, nurture in
            for rule in Self.rules {
                let column = rule.column
                let csv = "email,\(column)\nok@example.com,\nbad@example.com,\(rule.value)\n"
                try csv.write(to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
                let result = try nurture(["leads", "import", "leads.csv"])
                #expect(result.status == 1, "\(column): \(result.stdout)")
                #expect(result.stdout.hasSuffix("1 rejected\n"), "\(result.stdout)")
                #expect(result.stderr.contains("leads.csv:3 (bad@example.com): \(rule.message)"), "\(result.stderr)")
            }
            try "email,team size\nbad@example.com,40\n".write(
                to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
            let attribute = try nurture(["leads", "import", "leads.csv"])
            #expect(attribute.stderr.contains("leads.csv:2 (bad@example.com): team size: is not a usable attribute"))
            try "email,owner,Owner\nbad@example.com,priya,marco\n".write(
                to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
            let twice = try nurture(["leads", "import", "leads.csv"])
            #expect(twice.status == 1)
            #expect(twice.stderr.contains("leads.csv:1: column `owner` is named twice (column 3)"), "\(twice.stderr)")
            let bad = try nurture(["leads", "show", "bad@example.com"])
            #expect(bad.status == 1, "no bad row was written")
        }
    }

    @Test("bounced=yes through the CLI and the CSV suppresses the address and ends the enrollment")
    func bounced() throws {
        try withCopy { root, nurture in
            #expect(try nurture(["leads", "add", "a@example.com", "--stage", "lead"]).status == 0)
            let update = try nurture(["leads", "update", "a@example.com", "--bounced", "yes"])
            #expect(update.status == 0, "\(update.stderr)")
            #expect(update.stdout.contains("  bounced"))
            try "email,stage,bounced\nb@example.com,lead,yes\n".write(
                to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
            #expect(try nurture(["leads", "import", "leads.csv"]).status == 0)
            for email in ["a@example.com", "b@example.com"] {
                let why = try nurture(["why", email])
                #expect(why.stdout.contains("bounced yes, suppressed yes"), "\(email): \(why.stdout)")
            }
        }
    }
}
