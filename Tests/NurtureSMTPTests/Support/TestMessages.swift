import Foundation
import NurtureCore
import NurtureSMTP

/// Hand-written RFC 5322 messages for transport tests (the composer has its own tests).
enum TestMessages {
    static let sender = try! EmailAddress("marketing@nurture.test")

    /// A small message with CRLF line endings, including lines that need SMTP dot-stuffing.
    static func message(to recipient: String, number: Int) -> [UInt8] {
        let lines = [
            "From: Nurture Test <marketing@nurture.test>",
            "To: <\(recipient)>",
            "Subject: Transport test \(number)",
            "Date: Mon, 23 Nov 2026 09:00:00 +0000",
            "Message-ID: <test-\(number)@nurture.test>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Hello, this is message \(number).",
            ".",
            "..two dots",
            ".leading dot",
            "Bye.",
            "",
        ]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    static func envelope(to recipient: String) -> Envelope {
        Envelope(sender: sender, recipient: try! EmailAddress(recipient))
    }

    /// Relay settings for a plain-text loopback test peer.
    static func loopbackRelay(port: Int, poolSize: Int = 1, replyTimeout: Duration = .seconds(10)) -> RelayConfiguration
    {
        RelayConfiguration(
            host: "127.0.0.1", port: port, security: .plain, connectTimeout: .seconds(5), replyTimeout: replyTimeout,
            poolSize: poolSize)
    }

    /// Sends message 1 to `recipient` (default ada@example.com) through a new transport on `relay`, then shuts
    /// the transport down.
    static func sendOne(through relay: RelayConfiguration, to recipient: String? = nil) async throws -> DeliveryOutcome
    {
        let transport = try SMTPTransport(configuration: relay)
        let recipient = recipient ?? "ada@example.com"
        let outcome = await transport.send(message(to: recipient, number: 1), envelope: envelope(to: recipient))
        await transport.shutdown()
        return outcome
    }
}
