import Foundation
import Testing

/// `nurture leads import` through the real binary, on a copy of the shipped configuration.
@Suite("nurture leads import")
struct LeadsImportTests {
    private func withCopy(_ body: (URL, ([String]) throws -> CLIRunner.Result) throws -> Void) throws {
        try CLIRunner.withStatefulCopy(body)
    }

    /// Writes `leads.csv` into `root`: `header`, 4,500 rows (more than two import batches), then `last`.
    private func writeLargeCSV(in root: URL, header: String, row: (Int) -> String, last: String) throws {
        var csv = header + "\n"
        for index in 0..<4_500 { csv += row(index) + "\n" }
        csv += last + "\n"
        try csv.write(to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
    }

    @Test("good rows are kept, each bad row is reported with its line, the exit status says some were rejected")
    func mixedRows() throws {
        try withCopy { root, nurture in
            let csv = """
                email,first_name,stage,source,owner,industry
                ann@example.com,Ann,lead,inbound,,retail
                not-an-address,Bob,lead,inbound,,
                cy@example.com,Cy,sales-qualified,inbound,,
                dee@example.com,Dee,sales-qualified,inbound,nobody,
                too,many,fields,here,,,
                ANN@example.com,Anna,marketing-qualified,,,retail

                """
            try csv.write(to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
            let result = try nurture(["leads", "import", "leads.csv"])
            #expect(result.status == 1)
            #expect(result.stdout.contains("leads.csv: 2 created, 1 updated, 3 rejected"), "\(result.stdout)")
            #expect(result.stderr.contains("leads.csv:3 (not-an-address): email:"), "\(result.stderr)")
            #expect(result.stderr.contains("leads.csv:5 (dee@example.com): owner: `nobody` is not a configured"))
            #expect(result.stderr.contains("leads.csv:6: 7 fields, but the header has 6"))
            let ann = try nurture(["leads", "show", "ann@example.com"])
            #expect(ann.stdout.contains("name: Anna"))
            #expect(ann.stdout.contains("stage: marketing-qualified"))
            #expect(ann.stdout.contains("attribute industry: retail"))
            let cy = try nurture(["leads", "show", "cy@example.com"])
            #expect(cy.stdout.contains("owner: priya"), "round-robin's first pick: \(cy.stdout)")
            #expect(cy.stdout.contains("inbound-sales: started"))
        }
    }

    @Test("a row refused for control characters is reported with them escaped, naming line and field")
    func controlCharactersEscaped() throws {
        try withCopy { root, nurture in
            let csv =
                "email,first_name\n" + "ok@example.com,Ok\n" + "\"evil@example.com\r\nFAKE: 1 created\",Eve\n"
                + "esc@example.com,\"Esc\u{1B}[2J\"\n"
            try csv.write(to: root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
            let result = try nurture(["leads", "import", "leads.csv"])
            #expect(result.status == 1)
            #expect(result.stdout.contains("1 created, 0 updated, 2 rejected"), "\(result.stdout)")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(lines.allSatisfy { $0.hasPrefix("leads.csv:") }, "each problem on one line: \(result.stderr)")
            let raw = result.stderr.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F }
            #expect(raw.isEmpty, "no raw control character: \(raw.map(\.value))")
            #expect(
                result.stderr.contains("leads.csv:3 (evil@example.com\\r\\nFAKE: 1 created): email:"),
                "\(result.stderr)")
            #expect(result.stderr.contains("leads.csv:5 (esc@example.com): first_name:"), "\(result.stderr)")
            #expect(result.stderr.contains("`Esc\\u{1B}[2J`"), "the value, escaped: \(result.stderr)")
        }
    }

    @Test("a file with a CSV syntax error anywhere imports nothing")
    func syntaxErrorImportsNothing() throws {
        try withCopy { root, nurture in
            try writeLargeCSV(
                in: root, header: "email,first_name", row: { "lead\($0)@example.com,Lead \($0)" },
                last: "late@example.com,\"never closed")
            let result = try nurture(["leads", "import", "leads.csv"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("leads.csv:4502: a quoted field is never closed"), "\(result.stderr)")
            // Refused before the store was opened: not even an empty store was created.
            let status = try nurture(["status"])
            #expect(status.status == 1 && status.stderr.contains("no store at"), "\(status.stdout)\(status.stderr)")
        }
    }

    @Test("several batches: a repeated address updates the lead created earlier in the same import")
    func severalBatches() throws {
        try withCopy { root, nurture in
            try writeLargeCSV(
                in: root, header: "email,stage", row: { "lead\($0)@example.com,subscriber" },
                last: "LEAD7@example.com,customer")
            let result = try nurture(["leads", "import", "leads.csv"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("4500 created, 1 updated, 0 rejected"), "\(result.stdout)")
            let seven = try nurture(["leads", "show", "lead7@example.com"])
            #expect(seven.stdout.contains("stage: customer"))
            #expect(seven.stdout.contains("marketing-nurture: started"))
            #expect(seven.stdout.contains("(stage-changed)"))
        }
    }
}
