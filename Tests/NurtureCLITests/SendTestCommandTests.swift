import Foundation
import NurtureTestSupport
import Testing

@Suite(
    "nurture send-test", .ownQueue,
    .enabled(if: CLIPeer.available || CLIPeer.required, "needs python3 with aiosmtpd (.ci/run installs it)"))
struct SendTestCommandTests {
    /// Runs `body` with a copy of the shipped configuration whose relay is the peer's port.
    private func withRelay<T>(_ peer: CLIPeer, extraRelay: String = "", _ body: (URL) throws -> T) throws -> T {
        try CLIRunner.withCopy { root in
            try CLIRunner.edit(
                "config/nurture.yaml", in: root, replacing: "  port: 2525\n",
                with: "  port: \(peer.port)\n" + extraRelay)
            return try body(root)
        }
    }

    private func field(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map {
            $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
    }

    @Test("an accepted message: exit 0, the queue id, byte-exact capture, a valid message")
    func accepted() throws {
        let peer = try CLIPeer()
        try withRelay(peer) { root in
            let saved = root.appendingPathComponent("sent.eml")
            let result = try CLIRunner.run(
                ["send-test", "--to", "ada@example.com", "--save-message", saved.path], in: root)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(field("outcome", in: result.stdout) == "accepted")
            #expect(field("reply", in: result.stdout) == "250 2.0.0 Ok: queued as Q0001")
            #expect(field("detail", in: result.stdout) == "none")
            #expect(
                field("relay", in: result.stdout) == "127.0.0.1:\(peer.port), security none (clear text), no login")
            #expect(field("from", in: result.stdout) == "hello@acme-analytics.example")
            let messageID = try #require(field("message-id", in: result.stdout))
            #expect(messageID.hasPrefix("<send-test-") && messageID.contains("@acme-analytics.example>"))

            #expect(peer.capturedCount() == 1)
            let sent = try Data(contentsOf: saved)
            #expect(try peer.capturedMessage(0) == sent, "the relay received exactly the saved bytes")
            let envelope = try peer.capturedEnvelope(0)
            #expect(envelope.from == "hello@acme-analytics.example")
            #expect(envelope.to == ["ada@example.com"])
            let text = String(decoding: sent, as: UTF8.self)
            #expect(text.contains("\r\nFrom: Acme Analytics <hello@acme-analytics.example>\r\n"))
            #expect(text.contains("\r\nTo: ada@example.com\r\n"))
            #expect(text.contains("\r\nSubject: Nurture test message\r\n"))
            #expect(text.contains("\r\nMessage-ID: \(messageID.components(separatedBy: " ").first ?? "")\r\n"))

            let validation = try Self.validate(peer.capturedMessageURL(0))
            #expect(validation.status == 0, "\(validation.report)")
            #expect(validation.report.contains("\"defect_count\": 0"), "\(validation.report)")
        }
    }

    @Test(
        "an invalid --to is refused before any connection",
        arguments: ["a@example.com\r\nRCPT TO:<x@evil>", "a@example.com\nDATA", "not an address", "a@@example.com"])
    func invalidRecipient(_ address: String) throws {
        let peer = try CLIPeer()
        try withRelay(peer) { root in
            let result = try CLIRunner.run(["send-test", "--to", address], in: root)
            #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("--to: email address \(address.debugDescription)"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(!peer.events().contains("CONNECT"), "nothing may reach the relay")
            #expect(peer.capturedCount() == 0)
        }
    }

    @Test("an invalid --from is refused before any connection")
    func invalidSender() throws {
        let peer = try CLIPeer()
        try withRelay(peer) { root in
            let result = try CLIRunner.run(
                ["send-test", "--to", "ada@example.com", "--from", "x@example.com\r\nRCPT TO:<y@evil>"], in: root)
            #expect(result.status == 64)
            #expect(result.stderr.contains("--from: email address"))
            #expect(peer.events().isEmpty)
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let recipient: String
        let outcome: String
        let status: Int32
        var testDescription: String { "\(recipient) → \(outcome), exit \(status)" }
    }

    @Test(
        "each refusal class has its own exit status",
        arguments: [
            Refusal(recipient: "rcpt4xx@example.com", outcome: "deferred", status: 2),
            Refusal(recipient: "rcpt5xx@example.com", outcome: "failed", status: 3),
            Refusal(recipient: "dropdot@example.com", outcome: "unknown", status: 4),
        ])
    func refusal(_ refusal: Refusal) throws {
        let peer = try CLIPeer()
        try withRelay(peer) { root in
            let result = try CLIRunner.run(["send-test", "--to", refusal.recipient], in: root)
            #expect(result.status == refusal.status, "\(result.stdout)\(result.stderr)")
            #expect(field("outcome", in: result.stdout) == refusal.outcome)
            #expect(result.stderr.hasPrefix(refusal.outcome + ":"))
        }
    }

    @Test("STARTTLS required but not offered: configuration error, no password printed, nothing sent")
    func startTLSNotOffered() throws {
        let peer = try CLIPeer()
        let secret = "correct-horse-battery"
        try withRelay(peer, extraRelay: "  username: nurture@acme-analytics.example\n  password_file: smtp-password\n")
        { root in
            try (secret + "\n").write(
                to: root.appendingPathComponent("config/smtp-password"), atomically: true, encoding: .utf8)
            let result = try CLIRunner.run(
                ["send-test", "--to", "ada@example.com", "--security", "starttls"], in: root)
            #expect(result.status == 5, "\(result.stdout)\(result.stderr)")
            #expect(field("outcome", in: result.stdout) == "configuration-error")
            #expect(field("detail", in: result.stdout)?.hasPrefix("curl 64:") == true)
            #expect(
                field("relay", in: result.stdout)
                    == "127.0.0.1:\(peer.port), security starttls (STARTTLS required),"
                    + " login as nurture@acme-analytics.example (password not shown)")
            #expect(!(result.stdout + result.stderr).contains(secret))
            #expect(peer.events() == ["CONNECT"], "no AUTH and no MAIL in clear text")
            #expect(peer.capturedCount() == 0)
        }
    }

    @Test("a configuration that cannot be loaded: exit 1, nothing sent")
    func brokenConfiguration() throws {
        let result = try CLIRunner.run(["send-test", "--to", "ada@example.com", "--config", "no/such/file.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read the configuration file"))
        #expect(result.stderr.contains("nothing was sent"))
        #expect(result.stdout.isEmpty)
    }

    /// Runs `Tests/Support/validate_message.py --strict-lines` on `file`.
    private static func validate(_ file: URL) throws -> (status: Int32, report: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", CLIRunner.packageRoot.appendingPathComponent("Tests/Support/validate_message.py").path,
            "--strict-lines", file.path,
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
