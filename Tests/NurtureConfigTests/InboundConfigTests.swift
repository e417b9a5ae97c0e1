import Foundation
import NurtureCore
import NurtureSMTP
import Testing

@testable import NurtureConfig

/// The `inbound:` section: VERP, the inbound policy, the sales opt-out sentence and the watched mailboxes.
@Suite("Inbound configuration")
struct InboundConfigTests {
    static let secret = String(repeating: "s3", count: 20) + "\n"
    static let files: [String: String] = [
        "imap-marketing.pw": "app-password\n", "imap-priya.token": "ya29.token\n", "verp.key": secret,
    ]

    static let full = """

        inbound:
          verp:
            domain: Bounces.Acme-Analytics.example
            local_part: bounces
            secret_file: verp.key
          out_of_office_default: 5d
          soft_bounce_limit: 2
          soft_bounce_period: 14d
          sales_opt_out_sentence: "If you'd rather not hear from me, just reply \\"stop\\"."
          mailboxes:
            - name: marketing
              url: imaps://imap.acme-analytics.example/INBOX
              username: replies@acme-analytics.example
              password_file: imap-marketing.pw
            - name: priya
              url: imap://imap.acme-analytics.example:1143/Sales%20Replies
              security: starttls
              username: priya@acme-analytics.example
              bearer_token_file: imap-priya.token
              ca_file: private-ca.pem
              poll_interval: 2m
              keyword: $AcmeSeen
              owner: priya

        """

    /// Loads the shipped configuration plus `section`, with `files` written next to it (mode 0600).
    static func load(_ section: String, files: [String: String] = files) -> (
        configuration: NurtureConfiguration?, problems: [ConfigurationProblem], warnings: [ConfigurationProblem]
    ) {
        ConfigFixtures.withConfig(ConfigFixtures.shippedText + section) { file, loader in
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            for (name, contents) in files {
                _ = FileManager.default.createFile(
                    atPath: folder.appendingPathComponent(name).path, contents: Data(contents.utf8),
                    attributes: [.posixPermissions: 0o600])
            }
            do throws(ConfigurationErrors) {
                let configuration = try loader.load(file: file)
                return (configuration, [], configuration.warnings)
            } catch {
                return (nil, error.problems, [])
            }
        }
    }

    @Test("the shipped configuration watches nothing and keeps the From address as envelope sender")
    func absent() throws {
        let (configuration, problems, _) = Self.load("")
        #expect(problems.isEmpty, "\(problems)")
        let inbound = try #require(configuration).inbound
        #expect(inbound.mailboxes.isEmpty && inbound.verp == nil && inbound.salesOptOutSentence == nil)
        #expect(inbound.policy == InboundPolicy())
    }

    @Test("a full section is read: policy, sentence, VERP and both mailboxes")
    func full() throws {
        let (configuration, problems, warnings) = Self.load(Self.full)
        #expect(problems.isEmpty, "\(problems)")
        #expect(!warnings.contains { $0.field.hasPrefix("inbound") }, "\(warnings)")
        let inbound = try #require(configuration).inbound
        #expect(inbound.policy.outOfOfficeDefault == .seconds(5 * 86_400))
        #expect(inbound.policy.softBounceLimit == 2)
        #expect(inbound.policy.softBouncePeriod == .seconds(14 * 86_400))
        #expect(inbound.salesOptOutSentence == "If you'd rather not hear from me, just reply \"stop\".")

        let verp = try #require(inbound.verp)
        #expect(verp.domain == "bounces.acme-analytics.example" && verp.localPart == "bounces")
        let address = try #require(verp.address(forSend: 42))
        #expect(verp.sendID(in: address.description) == 42)
        let keyed = VERPCodec(localPart: "bounces", domain: verp.domain, secret: Array(Self.secret.dropLast().utf8))
        #expect(keyed.address(forSend: 42) == address, "keyed by the file's secret, without its newline")

        #expect(inbound.mailboxes.map(\.name) == ["marketing", "priya"])
        let marketing = inbound.mailboxes[0]
        #expect(marketing.settings.host == "imap.acme-analytics.example")
        #expect(marketing.settings.port == 993 && marketing.settings.security == .tls)
        #expect(marketing.settings.folder == "INBOX" && marketing.settings.username == "replies@acme-analytics.example")
        #expect(marketing.settings.password?.value == "app-password" && marketing.settings.bearerToken == nil)
        #expect(marketing.settings.keyword == "$NurtureProcessed")
        #expect(marketing.pollInterval == .seconds(60) && marketing.owner == nil)
        let priya = inbound.mailboxes[1]
        #expect(priya.settings.port == 1143 && priya.settings.security == .starttls)
        #expect(priya.settings.folder == "Sales Replies")
        #expect(priya.settings.bearerToken?.value == "ya29.token" && priya.settings.password == nil)
        #expect(priya.settings.caFile?.hasSuffix("/config/private-ca.pem") == true)
        #expect(priya.settings.keyword == "$AcmeSeen" && priya.pollInterval == .seconds(120) && priya.owner == "priya")
    }

    @Test("imap:// defaults to STARTTLS on port 143; `none` is accepted for a loopback server")
    func securityDefaults() throws {
        let section = """

            inbound:
              mailboxes:
                - { name: plain, url: "imap://imap.example.com", username: u, password_file: imap-marketing.pw }
                - { name: local, url: "imap://127.0.0.1:10143/INBOX", security: none, username: u,
                    password_file: imap-marketing.pw }

            """
        let (configuration, problems, _) = Self.load(section)
        #expect(problems.isEmpty, "\(problems)")
        let boxes = try #require(configuration).inbound.mailboxes
        #expect(boxes.map(\.settings.security) == [.starttls, .none])
        #expect(boxes.map(\.settings.port) == [143, 10143])
        #expect(boxes.map(\.settings.folder) == ["INBOX", "INBOX"])
    }

    /// A mailbox entry on one line: a usable one with the keys in `changes` replaced or added.
    static func mailbox(_ changes: KeyValuePairs<String, String> = [:]) -> String {
        var pairs = [
            ("name", "box"), ("url", "\"imaps://imap.example.com/INBOX\""), ("username", "u"),
            ("password_file", "imap-marketing.pw"),
        ]
        for (key, value) in changes {
            if let index = pairs.firstIndex(where: { $0.0 == key }) {
                pairs[index].1 = value
            } else {
                pairs.append((key, value))
            }
        }
        return "- { " + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + " }"
    }

    @Test(
        "bad values name the field and say what to do",
        arguments: [
            (mailbox(["url": "\"https://imap.example.com/\""]), "url", "is not an IMAP mailbox URL"),
            (mailbox(["url": "\"imaps://me:pw@imap.example.com/\""]), "url", "is not an IMAP mailbox URL"),
            (mailbox(["url": "\"imaps://imap.example.com/IN*BOX\""]), "url", "cannot be watched safely"),
            (mailbox(["url": "\"imap://imap.example.com/\"", "security": "none"]), "security", "in clear"),
            (mailbox(["url": "\"imap://imap.example.com/\"", "security": "tls"]), "security", "does not match"),
            (mailbox(["security": "starttls"]), "security", "does not match"),
            (mailbox(["security": "ssl"]), "security", "is not one of tls, starttls, none"),
            (mailbox(["bearer_token_file": "imap-priya.token"]), "bearer_token_file", "both a password"),
            (mailbox(["poll_interval": "2s"]), "poll_interval", "outside 5s to 1d"),
            (mailbox(["poll_interval": "soon"]), "poll_interval", "is not a delay"),
            (mailbox(["keyword": "\"two words\""]), "keyword", "is not an IMAP keyword"),
            (mailbox(["keyword": "\"\\\\Seen\""]), "keyword", "is not an IMAP keyword"),
            (mailbox(["owner": "nobody"]), "owner", "salesperson `nobody` is not defined"),
            (mailbox(["name": "Bad Name"]), "name", "is not a valid id"),
            (mailbox(["password_file": "missing.pw"]), "password_file", "missing.pw"),
            (mailbox(["folder": "INBOX"]), "folder", "unknown key `folder`"),
        ])
    func badMailbox(entry: String, field: String, fragment: String) {
        let section = "\ninbound:\n  mailboxes:\n    \(entry)\n"
        let problems = Self.load(section).problems
        let match = problems.first { $0.field == "inbound.mailboxes[0].\(field)" }
        #expect(match?.description.contains(fragment) == true, "\(problems)")
        #expect(match?.line == ConfigFixtures.line(of: "    - {", in: ConfigFixtures.shippedText + section))
        #expect(!problems.contains { $0.description.contains("app-password") }, "a password is never quoted")
    }

    @Test("a mailbox without a password or bearer token is refused")
    func noCredentials() {
        let problems = Self.load(
            "\ninbound:\n  mailboxes:\n    - { name: box, url: \"imaps://imap.example.com/\", username: u }\n"
        ).problems
        #expect(
            problems.contains { $0.description.contains("no password or bearer token is configured") }, "\(problems)")
    }

    @Test("two mailboxes with one name are refused: the name keys the cursor")
    func duplicateNames() {
        let problems = Self.load("\ninbound:\n  mailboxes:\n    \(Self.mailbox())\n    \(Self.mailbox())\n").problems
        let match = problems.first { $0.field == "inbound.mailboxes[1].name" }
        #expect(match?.description.contains("already used by inbound.mailboxes[0]") == true, "\(problems)")
    }

    @Test(
        "bad policy and VERP values name the field",
        arguments: [
            ("soft_bounce_limit: 0", "inbound.soft_bounce_limit", "from 1 to 100"),
            ("out_of_office_default: 30m", "inbound.out_of_office_default", "outside 1h to"),
            ("soft_bounce_period: 2y", "inbound.soft_bounce_period", "is not a delay"),
            ("sales_opt_out_sentence: \"one\\ntwo\"", "inbound.sales_opt_out_sentence", "one line"),
            ("verp: { domain: \"not a domain\" }", "inbound.verp.domain", "is not a mail domain"),
            ("verp: { domain: b.example.com, local_part: \"a+b\" }", "inbound.verp.local_part", "cannot begin"),
            (
                "verp: { domain: b.example.com, local_part: \(String(repeating: "b", count: 24)) }",
                "inbound.verp.local_part", "up to 23"
            ),
            ("verp: { local_part: bounces }", "inbound.verp.domain", "required key `domain` is missing"),
            (
                "verp: { domain: b.example.com, secret_file: short.key }", "inbound.verp.secret_file",
                "at least 32 bytes"
            ),
            ("mailboxes: marketing", "inbound.mailboxes", "expected a list"),
        ])
    func badPolicy(line: String, field: String, fragment: String) {
        let problems = Self.load("\ninbound:\n  \(line)\n", files: Self.files.merging(["short.key": "abc\n"]) { $1 })
            .problems
        let match = problems.first { $0.field == field }
        #expect(match?.description.contains(fragment) == true, "\(problems)")
        #expect(!problems.contains { $0.description.contains("abc") && $0.field.hasSuffix("secret_file") })
    }

    @Test("VERP without a secret of its own: keyed from the unsubscribe secret, or the demo key with a warning")
    func verpKeys() throws {
        let section = "\ninbound:\n  verp: { domain: bounces.example.com }\n"
        let (demo, problems, warnings) = Self.load(section)
        #expect(problems.isEmpty, "\(problems)")
        #expect(warnings.contains { $0.field == "inbound.verp.secret_credential" && $0.problem.contains("demo key") })
        let demoCodec = try #require(demo?.inbound.verp)
        #expect(
            demoCodec.address(forSend: 9)
                == VERPCodec(
                    localPart: "bounces", domain: "bounces.example.com",
                    secret: VERPCodec.derivedKey(from: VERPCodec.demoKey)
                ).address(forSend: 9))

        let unsubscribe = ConfigFixtures.shippedText.replacingOccurrences(
            of: SecretConfigTests.unsubscribeLine, with: "  unsubscribe_secret_file: verp.key")
        let keyed = ConfigFixtures.withConfig(unsubscribe + section) { file, loader in
            let path = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("verp.key").path
            _ = FileManager.default.createFile(
                atPath: path, contents: Data(Self.secret.utf8), attributes: [.posixPermissions: 0o600])
            return try? loader.load(file: file)
        }
        let configuration = try #require(keyed)
        #expect(!configuration.warnings.contains { $0.field.hasPrefix("inbound") })
        let codec = try #require(configuration.inbound.verp)
        #expect(codec.address(forSend: 9) != demoCodec.address(forSend: 9))
        let derived = VERPCodec.derivedKey(from: Array(Self.secret.dropLast().utf8))
        #expect(
            codec.address(forSend: 9)
                == VERPCodec(localPart: "bounces", domain: "bounces.example.com", secret: derived).address(forSend: 9))
    }

    @Test("the commented inbound: example in the shipped configuration loads once uncommented")
    func shippedExample() throws {
        let shipped = ConfigFixtures.shippedText
        let start = try #require(shipped.range(of: "# inbound:\n"))
        // The example runs to the first blank line (the sections after it stay commented out).
        let block = shipped[start.lowerBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
        let rest = shipped[start.lowerBound...].dropFirst(block.map { $0.count + 1 }.reduce(0, +))
        let example = block.map { $0.dropFirst(2) }.joined(separator: "\n")
        let text = String(shipped[..<start.lowerBound]) + example + "\n" + rest
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-cred-\(UUID())")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: credentials) }
        for name in ["verp-secret", "imap-marketing", "imap-priya"] {
            try Self.secret.write(to: credentials.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let problems = ConfigFixtures.problems(text, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(problems.isEmpty, "\(problems)")
        let configuration = ConfigFixtures.withConfig(
            text, environment: ["CREDENTIALS_DIRECTORY": credentials.path]
        ) { file, loader in try? loader.load(file: file) }
        let inbound = try #require(configuration).inbound
        #expect(inbound.mailboxes.map(\.name) == ["marketing", "priya"])
        #expect(inbound.mailboxes.map(\.owner) == [nil, "priya"])
        #expect(inbound.verp?.domain == "bounces.acme-analytics.example")
        #expect(inbound.salesOptOutSentence?.hasSuffix("just reply \"stop\".") == true)
    }
}
