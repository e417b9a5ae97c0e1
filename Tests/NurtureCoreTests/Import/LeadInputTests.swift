import NurtureCore
import Testing

@Suite struct LeadInputTests {
    @Test("known columns fill the lead; other columns become attributes")
    func newLead() throws {
        let result = LeadInput.lead(
            from: [
                "email": "ana@example.com", "first_name": "Ana", "stage": "Sales-Qualified", "source": "outbound",
                "owner": "priya", "budget": "yes", "need": "true", "time_zone": "Europe/Lisbon", "industry": "retail",
            ], base: nil)
        let lead = try result.get()
        #expect(lead.email.description == "ana@example.com")
        #expect(lead.firstName == "Ana")
        #expect(lead.stage == .salesQualified)
        #expect(lead.source == .outbound)
        #expect(lead.owner == "priya")
        #expect(lead.qualification[.budget] == .yes)
        #expect(lead.qualification[.need] == .yes)
        #expect(lead.timeZone == "Europe/Lisbon")
        #expect(lead.attributes == ["industry": "retail"])
    }

    @Test("empty values keep the stored ones; `none` clears the owner")
    func update() throws {
        let base = try LeadInput.lead(
            from: ["email": "ana@example.com", "first_name": "Ana", "owner": "priya"], base: nil
        ).get()
        let updated = try LeadInput.lead(from: ["first_name": "", "owner": "none"], base: base).get()
        #expect(updated.firstName == "Ana")
        #expect(updated.owner == nil)
    }

    @Test("a refused value is echoed with its control characters escaped, never raw")
    func controlCharactersAreEscaped() throws {
        let result = LeadInput.lead(
            from: [
                "email": "evil@example.com\r\nFAKE: imported", "stage": "lead\u{1B}[2J", "notes\n": "x\u{7}y",
            ], base: nil)
        guard case .failure(let problems) = result else {
            Issue.record("control characters were accepted")
            return
        }
        let text = problems.description
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{202E}" }, "\(text)")
        #expect(text.contains("email: "), "names the field: \(text)")
        #expect(text.contains("stage: "))
        #expect(text.contains("notes\\n: "), "a header name is escaped too: \(text)")
        #expect(text.contains("evil@example.com\\r\\nFAKE"), "\(text)")
        #expect(text.contains("lead\\u{1B}[2J"), "\(text)")
    }

    @Test(
        "PrintableText escapes controls, separators and bidi overrides; keeps the rest",
        arguments: [
            ("plain text é 日本", "plain text é 日本"), ("a\r\nb", "a\\r\\nb"), ("tab\there", "tab\\there"),
            ("\u{1B}[31m", "\\u{1B}[31m"), ("del\u{7F}", "del\\u{7F}"), ("c1\u{85}", "c1\\u{85}"),
            ("line\u{2028}sep", "line\\u{2028}sep"), ("rtl\u{202E}txt", "rtl\\u{202E}txt"), ("nul\0", "nul\\0"),
        ])
    func printableText(input: String, expected: String) {
        #expect(PrintableText.escaped(input) == expected)
    }

    @Test("every bad value is reported by field, with a fix")
    func problems() {
        let result = LeadInput.lead(
            from: [
                "email": "not an address", "stage": "hot", "source": "web", "vision": "maybe",
                "time_zone": "Mars/Olympus", "unsubscribed": "perhaps",
            ], base: nil)
        guard case .failure(let problems) = result else {
            Issue.record("bad input must fail")
            return
        }
        #expect(Set(problems.all.map(\.field)) == ["email", "stage", "source", "vision", "time_zone", "unsubscribed"])
        #expect(problems.all.allSatisfy { !$0.fix.isEmpty })
        #expect(problems.description.contains("stage: `hot` is not a stage"))
    }

    @Test("a missing address is reported")
    func missingEmail() {
        guard case .failure(let problems) = LeadInput.lead(from: ["first_name": "Ana"], base: nil) else {
            Issue.record("a lead without an address must fail")
            return
        }
        #expect(problems.all.map(\.field) == ["email"])
    }

    @Test("line breaks and control characters in any value are refused, naming the field")
    func controlCharacters() {
        let result = LeadInput.lead(
            from: ["email": "ana@example.com", "first_name": "Ana\r\nBcc: evil@example.net", "note": "a\u{0}b"],
            base: nil)
        guard case .failure(let problems) = result else {
            Issue.record("header-like input must fail")
            return
        }
        #expect(Set(problems.all.map(\.field)) == ["first_name", "note"])
    }

    @Test("spaces around a value are dropped, Unicode spaces too; inner ones stay")
    func trimming() throws {
        let values = [
            "email": "  ana@example.com ", "first_name": "\u{00A0}Zoë\u{2003}", "last_name": "de  la Cruz\u{3000}",
            "company": " \u{2009} ", "title": "CTO",
        ]
        let lead = try LeadInput.lead(from: values, base: nil).get()
        #expect(lead.email.description == "ana@example.com")
        #expect(lead.firstName == "Zoë")
        #expect(lead.lastName == "de  la Cruz")
        #expect(lead.company == nil)
        #expect(lead.title == "CTO")
    }

    @Test(
        "a non-ASCII control character or line separator is refused like an ASCII one",
        arguments: ["\u{0085}", "\u{2028}", "\u{7F}"])
    func nonASCIIControl(_ control: String) {
        guard
            case .failure(let problems) = LeadInput.lead(
                from: ["email": "ana@example.com", "company": "Acme\(control)Labs"], base: nil)
        else {
            Issue.record("\(control.unicodeScalars.first!.value) must be refused")
            return
        }
        #expect(problems.all.map(\.field) == ["company"])
    }
}
