import Foundation
import NurtureSMTP
import Testing

@testable import NurtureConfig

/// One way to break the shipped config, and the problem `check` must report for it.
struct Breakage: Sendable, CustomTestStringConvertible {
    /// Shipped text to replace (first occurrence).
    let old: String
    /// What to put instead.
    let new: String
    /// The field path the problem must name.
    let field: String
    /// Text the problem's description must contain.
    let fragment: String
    /// Text on the line the problem must point at (defaults to `new`'s first line).
    var lineOf: String?

    var testDescription: String { field }
}

@Suite("Broken configurations: every problem names file:line:column, the field and the fix")
struct BrokenConfigTests {
    static let breakages: [Breakage] = [
        Breakage(
            old: "    weight: 2", new: "    wieght: 2", field: "salespeople[0].wieght",
            fragment: "unknown key `wieght`; did you mean `weight`?"),
        Breakage(
            old: "  port: 2525", new: "  port: [2525]", field: "relay.port", fragment: "expected a single value"),
        Breakage(
            old: "  port: 2525", new: "  port: 99999", field: "relay.port",
            fragment: "`99999` is not a whole number from 1 to 65535"),
        Breakage(
            old: "  address: hello@acme-analytics.example", new: "  address: hello.acme-analytics.example",
            field: "marketing_sender.address", fragment: "has no '@'"),
        Breakage(
            old: "    time_zone: Europe/Rome", new: "    time_zone: Europe/Roma", field: "salespeople[1].time_zone",
            fragment: "`Europe/Roma` is not an IANA time zone; did you mean `Europe/Rome`?"),
        Breakage(
            old: "  time_zone: America/New_York", new: "  time_zone: Eastern", field: "defaults.time_zone",
            fragment: "not an IANA time zone"),
        Breakage(
            old: "hours: \"09:00-17:00\"", new: "hours: \"17:00-09:00\"", field: "defaults.window.hours",
            fragment: "ends before it starts"),
        Breakage(
            old: "hours: \"08:30-17:30\"", new: "hours: \"8.30 to 5\"", field: "sequences[1].window.hours",
            fragment: "is not a range of hours"),
        Breakage(
            old: "    days: mon-fri", new: "    days: mon-fry", field: "defaults.window.days",
            fragment: "`mon-fry` is not a day or range of days"),
        Breakage(
            old: "holidays: [2025-12-25,", new: "holidays: [2025-13-25,", field: "defaults.window.holidays[0]",
            fragment: "`2025-13-25` is not a date"),
        Breakage(
            old: "    time_zone: lead ", new: "    time_zone: leads ", field: "defaults.window.time_zone",
            fragment: "is not `lead`, `owner` or an IANA time zone"),
        Breakage(
            old: "        delay: 2d", new: "        delay: 2x", field: "sequences[1].steps[1].delay",
            fragment: "`2x` is not a delay; write a whole number and a unit"),
        Breakage(
            old: "      - id: guide", new: "      - id: guidebook", field: "sequences[0].steps[1]",
            fragment:
                "the step's subject template ../templates/marketing-nurture/guidebook.subject.mustache does not exist"),
        Breakage(
            old: "  - { stage: recycled, sequence: recycled-renurture }\n", new: "", field: "sequences[2].id",
            fragment: "no rule enrolls leads in sequence `recycled-renurture`", lineOf: "  - id: recycled-renurture"),
        Breakage(
            old: "source: inbound, sequence: inbound-sales }", new: "source: inbound, sequence: inbound-sale }",
            field: "rules[3].sequence",
            fragment: "sequence `inbound-sale` is not defined; did you mean `inbound-sales`?"),
        Breakage(
            old: "round_robin_pool: [priya, marco, lena]", new: "round_robin_pool: [priya, marco, lina]",
            field: "options.round_robin_pool", fragment: "salesperson `lina` is not defined; did you mean `lena`?"),
        Breakage(
            old: "  - { stage: subscriber,", new: "  - { stage: subscribed,", field: "rules[0].stage",
            fragment: "`subscribed` is not one of subscriber, lead"),
        Breakage(
            old: "    track: sales", new: "    track: personal", field: "sequences[1].track",
            fragment: "`personal` is not one of marketing, sales"),
        Breakage(
            old: "  postal_address: \"Acme", new: "  postal_adress: \"Acme", field: "company.postal_address",
            fragment: "required key `postal_address` is missing", lineOf: "  name: Acme Analytics\n  website"),
        Breakage(
            old: "  unsubscribe_url: https://acme-analytics.example/unsubscribe",
            new: "  unsubscribe_url: http://acme-analytics.example/unsubscribe", field: "company.unsubscribe_url",
            fragment: "is not a valid https URL"),
        Breakage(
            old: "  directory: ../templates", new: "  directory: ../tempaltes", field: "templates.directory",
            fragment: "the templates directory `../tempaltes` does not exist"),
        Breakage(
            old: "        # condition: { field: budget, is: unknown }",
            new: "        condition: { field: budget, is: maybe }",
            field: "sequences[1].steps[2].condition.is", fragment: "a VBANT criterion is `yes`, `no` or `unknown`"),
        Breakage(
            old: "        # condition: { field: budget, is: unknown }",
            new: "        condition: { field: budjet, is: yes }",
            field: "sequences[1].steps[2].condition.field",
            fragment: "`budjet` is not a lead field; did you mean `budget`?"),
        Breakage(
            old: "      - id: follow-up", new: "      - id: intro", field: "sequences[1].steps[1].id",
            fragment: "step id `intro` is already used by sequences[1].steps[0]",
            lineOf: "      - id: intro\n        delay: 2d"),
        Breakage(
            old: "  - id: marco", new: "  - id: priya", field: "salespeople[1].id",
            fragment: "salesperson id `priya` is already used by salespeople[0]",
            lineOf: "  - id: priya\n    name: Marco"),
        Breakage(
            old: "    # signature: signature-marco", new: "    signature: signature-marco",
            field: "salespeople[1].signature",
            fragment: "templates/partials/signature-marco.text.mustache does not exist"),
        Breakage(
            old: "  # helo_name: mail.acme-analytics.example", new: "  password_credential: smtp-password",
            field: "relay.password_credential", fragment: "$CREDENTIALS_DIRECTORY is not set"),
        Breakage(
            old: "    window:\n      hours: \"08:30-17:30\"     # keys not given here come from defaults.window",
            new: "    window: weekdays", field: "sequences[1].window",
            fragment: "expected a mapping (`key: value` lines), found the value `weekdays`"),
        Breakage(
            old: "round_robin_pool: [priya, marco, lena]", new: "round_robin_pool: { priya: 1 }",
            field: "options.round_robin_pool", fragment: "expected a list, found a mapping"),
        Breakage(
            old: "  reply_to: team@acme-analytics.example", new: "  reply_to: [team@acme-analytics.example]",
            field: "marketing_sender.reply_to", fragment: "expected a single value, found a list"),
        Breakage(
            old: "  name: Acme Analytics\n  address:", new: "  name: Acme Analytics\n address:", field: "",
            fragment: "invalid YAML", lineOf: " address:"),
    ]

    @Test("each broken input is reported precisely", arguments: breakages)
    func reported(_ breakage: Breakage) throws {
        let text = ConfigFixtures.shipped(replacing: breakage.old, with: breakage.new)
        let problems = ConfigFixtures.problems(text)
        let match = try #require(
            problems.first { $0.field == breakage.field && $0.description.contains(breakage.fragment) },
            "no problem for \(breakage.field) containing \(breakage.fragment); got:\n\(problems.map(\.description).joined(separator: "\n"))"
        )
        let needle = breakage.lineOf ?? String(breakage.new.split(separator: "\n").first ?? "")
        #expect(match.line == ConfigFixtures.line(of: needle, in: text))
        #expect(match.column != nil)
        #expect(match.file.hasSuffix("config/nurture.yaml"))
        #expect(match.description.hasPrefix("\(match.file):\(match.line!):\(match.column!): "))
        #expect(!match.fix.isEmpty)
    }

    @Test("every problem is listed, not just the first")
    func collectsAll() {
        var text = ConfigFixtures.shipped(replacing: "    weight: 2", with: "    wieght: 2")
        text = text.replacingOccurrences(of: "        delay: 2d", with: "        delay: 2x")
        text = text.replacingOccurrences(of: "    time_zone: Europe/Rome", with: "    time_zone: Europe/Roma")
        text = text.replacingOccurrences(of: "sequence: inbound-sales }", with: "sequence: inbound-sale }")
        let fields = ConfigFixtures.problems(text).map(\.field)
        #expect(fields.contains("salespeople[0].wieght"))
        #expect(fields.contains("salespeople[1].time_zone"))
        #expect(fields.contains("sequences[1].steps[1].delay"))
        #expect(fields.contains("rules[3].sequence"))
        let lines = ConfigFixtures.problems(text).compactMap(\.line)
        #expect(lines == lines.sorted())
    }

    @Test("a password credential is read from $CREDENTIALS_DIRECTORY and never printed")
    func credential() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "s3cret\n".write(to: directory.appendingPathComponent("smtp-password"), atomically: true, encoding: .utf8)
        let text = ConfigFixtures.shipped(
            replacing: "  # helo_name: mail.acme-analytics.example",
            with: "  username: nurture\n  password_credential: smtp-password")
        let configuration = try ConfigFixtures.withConfig(
            text, environment: ["CREDENTIALS_DIRECTORY": directory.path]
        ) { file, loader in try loader.load(file: file) }
        #expect(configuration.relay.password?.value == "s3cret")
        #expect(configuration.relay.username == "nurture")
        #expect("\(configuration.relay)".contains("s3cret") == false)
    }

    @Test("a password over a clear-text relay that is not loopback is refused")
    func clearTextPassword() {
        let text = ConfigFixtures.shipped(replacing: "  host: 127.0.0.1", with: "  host: smtp.example.com")
            .replacingOccurrences(
                of: "  # helo_name: mail.acme-analytics.example",
                with: "  username: nurture\n  password_file: missing-password")
        let problems = ConfigFixtures.problems(text)
        #expect(problems.contains { $0.field == "relay.security" && $0.problem.contains("send the password in clear") })
        #expect(
            problems.contains { $0.field == "relay.password_file" && $0.problem.contains("cannot read secret file") })
    }

    @Test("both password_file and password_credential is a problem")
    func bothSecrets() {
        let text = ConfigFixtures.shipped(
            replacing: "  # helo_name: mail.acme-analytics.example",
            with: "  username: nurture\n  password_file: a\n  password_credential: b")
        #expect(
            ConfigFixtures.problems(text).contains {
                $0.problem.contains("both `password_file` and `password_credential`")
            })
    }

    @Test("an unreadable file and an empty file are reported")
    func unreadableAndEmpty() {
        do {
            _ = try ConfigurationLoader(environment: [:]).load(file: "no/such/nurture.yaml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.problems.first?.description.hasPrefix("no/such/nurture.yaml: cannot read") == true)
        }
        #expect(ConfigFixtures.problems("").first?.problem == "the file is empty")
    }
}
