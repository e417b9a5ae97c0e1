import Foundation
import Testing

@testable import NurtureCore

/// Property: an automatic reply stays an automatic reply, whatever its body says and whatever non-marker headers
/// it gains; never a human reply, never an opt-out.
@Suite struct AutoReplyPropertyTests {
    static let oooFixtures = InboundFixtures.names.filter { $0.hasPrefix("ooo-") }

    static let insertions = [
        "Please unsubscribe me.", "STOP", "Remove me from your list", "Bitte keine E-Mails mehr.", "darme de baja",
        "Merci de me désabonner", "Thanks, sounds good!", "On Mon, 30 Nov 2026, Sam wrote:", "> unsubscribe",
        "-----Original Message-----", "not interested", "\u{0}\u{1}\u{FF}", "=?utf-8?Q?broken",
    ]
    static let extraHeaders = [
        "X-Mailer: Microsoft Outlook 16.0", "Received: from mx.example.com by mx.acme.example",
        "In-Reply-To: <20261201.abc123@nurture.acme.example>", "References: <20261201.abc123@nurture.acme.example>",
        "List-Unsubscribe: <mailto:unsubscribe@example.com>", "X-Auto-Response-Suppress: All",
        "Thread-Topic: unsubscribe", "Content-Language: de-DE", "X-Spam-Status: No",
    ]

    @Test(arguments: oooFixtures)
    func mutatedAutoRepliesStayAutoReplies(_ name: String) throws {
        let original = try InboundFixtures.bytes(name)
        var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: name.hashValueStable))
        for round in 0..<60 {
            let mutated = Self.mutate(original, using: &generator)
            let reading = InboundClassifier.read(mutated, now: InboundFixtures.now)
            #expect(
                reading.classification.kind == .autoReply,
                "\(name) mutation \(round) read as \(reading.classification.kind): \(reading.evidence)")
        }
    }

    @Test func generatedAutoRepliesAreNeverRepliesOrOptOuts() {
        let markers = [
            "Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied (vacation)", "X-Autoreply: yes",
            "X-Autorespond: on", "Precedence: auto_reply", "X-MS-Exchange-Inbox-Rules-Loop: lead@example.com", "",
            "Auto-Submitted: auto-generated", "Precedence: bulk", "Precedence: junk",
        ]
        let oooSubjects = [
            "Automatic reply: Quick question", "Out of Office: Quick question", "Abwesenheitsnotiz: Frage",
            "=?utf-8?Q?R=C3=A9ponse_automatique_:_question?=", "Respuesta automática: pregunta", "Auto: question",
            "Automatische Antwort: Frage", "Fuera de la oficina",
        ]
        let plainSubjects = ["Re: Quick question", "Hello", ""]
        let bodies = [
            "Please unsubscribe me.", "STOP", "Remove me from your list", "Bitte keine E-Mails mehr",
            "darme de baja, no me escriban", "I am out of the office until 14 December.", "Thanks!", "",
            "Not interested.",
        ]
        var count = 0
        for marker in markers {
            let strong =
                !marker.isEmpty && !marker.contains("auto-generated") && !marker.hasPrefix("Precedence: b")
                && !marker.hasPrefix("Precedence: j")
            for subject in oooSubjects + (strong ? plainSubjects : []) {
                for body in bodies {
                    for threaded in [false, true] {
                        var text = "From: Lead <lead@example.com>\r\nTo: sam@acme.example\r\nSubject: \(subject)\r\n"
                        text += "Date: Mon, 30 Nov 2026 09:30:00 +0000\r\nMessage-ID: <gen-\(count)@example.com>\r\n"
                        if !marker.isEmpty { text += marker + "\r\n" }
                        if threaded { text += "In-Reply-To: <20261201.abc123@nurture.acme.example>\r\n" }
                        text += "Content-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n"
                        let reading = InboundClassifier.read(Array(text.utf8), now: InboundFixtures.now)
                        #expect(
                            reading.classification.kind == .autoReply,
                            "\(marker) / \(subject) / \(body): \(reading.classification.kind) \(reading.evidence)")
                        count += 1
                    }
                }
            }
        }
        #expect(count > 300)
    }

    /// One random mutation: body lines inserted, deleted or duplicated, body bytes flipped, headers added.
    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        let separator = Self.bodyStart(bytes)
        var header = Array(bytes[..<separator])
        var body = Array(bytes[separator...])
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<5, using: &generator) {
            case 0:
                let line = Array((insertions.randomElement(using: &generator)! + "\r\n").utf8)
                body.insert(contentsOf: line, at: Int.random(in: 0...body.count, using: &generator))
            case 1 where !body.isEmpty:
                let start = Int.random(in: 0..<body.count, using: &generator)
                let end = body[start...].firstIndex(of: 0x0A) ?? body.count
                body.removeSubrange(start..<end)
            case 2 where !body.isEmpty:
                for _ in 0..<8 {
                    body[Int.random(in: 0..<body.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            case 3:
                header = Array((extraHeaders.randomElement(using: &generator)! + "\r\n").utf8) + header
            default:
                body = body + body.prefix(Int.random(in: 0...min(200, body.count), using: &generator))
            }
        }
        return header + body
    }

    /// Where the body starts (after the first blank line), or the end.
    static func bodyStart(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A, bytes[index + 1] == 0x0A { return index + 2 }
            if bytes[index] == 0x0A, bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A {
                return index + 3
            }
            index += 1
        }
        return bytes.count
    }
}

extension String {
    /// A hash that is the same on every run (`hashValue` is seeded per process).
    var hashValueStable: UInt64 {
        utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    }
}
