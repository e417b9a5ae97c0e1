import Foundation
import NurtureCore
import Testing

/// The end-to-end templates, filled as the end-to-end tests fill them, classify as their README says.
@Suite struct InboundTemplateTests {
    static let values = [
        "{{LEAD}}": "ada@example.com", "{{SALESPERSON}}": "sam@acme.example",
        "{{MESSAGE_ID}}": "<20261201.abc123@nurture.acme.example>", "{{VERP}}": "bounces+s42.k7Hq2p@acme.example",
        "{{RETURN_DATE}}": "Monday, 14 December 2026", "{{DATE}}": "Mon, 30 Nov 2026 09:30:00 +0000",
    ]

    static func filled(_ name: String) throws -> [UInt8] {
        var text = try String(
            contentsOf: InboundFixtures.directory.appendingPathComponent("e2e/\(name)"), encoding: .utf8)
        for (placeholder, value) in values { text = text.replacingOccurrences(of: placeholder, with: value) }
        #expect(!text.contains("{{"), "\(name) has a placeholder nobody fills")
        return Array(text.utf8)
    }

    @Test func replyTemplateIsAReply() throws {
        let reading = InboundClassifier.read(try Self.filled("reply.eml.template"), now: InboundFixtures.now)
        #expect(reading.classification == .reply)
        #expect(reading.headers.inReplyTo == ["20261201.abc123@nurture.acme.example"])
    }

    @Test func oooTemplateIsAnAutoReplyWithItsReturnDate() throws {
        let reading = InboundClassifier.read(try Self.filled("ooo.eml.template"), now: InboundFixtures.now)
        #expect(reading.classification == .autoReply(.init(returnDate: LocalDate(year: 2026, month: 12, day: 14))))
    }

    @Test func bounceTemplateIsAHardBounceForTheLead() throws {
        let reading = InboundClassifier.read(try Self.filled("bounce-verp.eml.template"), now: InboundFixtures.now)
        guard case .bounce(let bounce) = reading.classification else {
            Issue.record("not a bounce: \(reading.evidence)")
            return
        }
        #expect(bounce.severity == .hard)
        #expect(bounce.status == "5.1.1")
        #expect(bounce.recipient == "ada@example.com")
        #expect(bounce.originalMessageID == "20261201.abc123@nurture.acme.example")
        #expect(reading.headers.recipients.contains("bounces+s42.k7hq2p@acme.example"))
    }
}
