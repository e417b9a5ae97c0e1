import Foundation
import NurtureCore
import Testing

/// The order of the classifier's questions, one small message per rule: reports before automatic replies
/// (bounces are `Auto-Submitted` too), automatic replies before people, bulk and notifications before people,
/// and a request to stop read only in the person's own text.
@Suite struct InboundClassifierTests {
    static let thread = "In-Reply-To: <20261201.abc123@nurture.acme.example>\r\n"

    static func message(_ headers: String, _ body: String, from: String = "Lead <lead@example.com>") -> [UInt8] {
        let text =
            "From: \(from)\r\nTo: sam@acme.example\r\nDate: Mon, 30 Nov 2026 09:30:00 +0000\r\n"
            + "Message-ID: <t@example.com>\r\n\(headers)\r\n\(body)\r\n"
        return Array(text.utf8)
    }

    @Test(
        arguments: [
            // name, headers, body, from, expected kind
            ("plain reply", "Subject: Re: hi\r\n" + thread, "Thanks, Tuesday works.", nil, InboundKind.reply),
            ("fresh mail from a person", "Subject: Pricing\r\n", "How much for 20 seats?", nil, .reply),
            ("opt-out", "Subject: Re: hi\r\n" + thread, "Please remove me from your list.", nil, .optOut),
            ("quoted footer only", "Subject: Re: hi\r\n" + thread, "Sure.\r\n> unsubscribe here", nil, .reply),
            ("not interested", "Subject: Re: hi\r\n" + thread, "Not interested, thanks.", nil, .reply),
            (
                "X-Auto-Response-Suppress is no marker",
                "Subject: Re: hi\r\nX-Auto-Response-Suppress: All\r\n" + thread,
                "Yes, call me.", nil, .reply
            ),
            ("Auto-Submitted: no", "Subject: Re: hi\r\nAuto-Submitted: no\r\n" + thread, "Yes.", nil, .reply),
            (
                "auto-replied", "Subject: Re: hi\r\nAuto-Submitted: auto-replied\r\n" + thread, "unsubscribe", nil,
                .autoReply
            ),
            ("X-Autorespond", "Subject: Re: hi\r\nX-Autorespond: yes\r\n", "STOP", nil, .autoReply),
            ("subject prefix alone", "Subject: Automatic reply: hi\r\n" + thread, "Away.", nil, .autoReply),
            (
                "auto-generated notification", "Subject: Alert\r\nAuto-Submitted: auto-generated\r\n", "Disk full", nil,
                .unrelated
            ),
            (
                "auto-generated out of office", "Subject: Out of Office\r\nAuto-Submitted: auto-generated\r\n", "Away",
                nil, .autoReply
            ),
            ("bulk alone", "Subject: News\r\nPrecedence: bulk\r\n", "Our news", nil, .unrelated),
            ("bulk out of office", "Subject: hi\r\nPrecedence: bulk\r\n", "I am out of the office.", nil, .autoReply),
            ("newsletter", "Subject: News\r\nList-Unsubscribe: <mailto:u@news.example>\r\n", "News", nil, .unrelated),
            (
                "reply through a list", "Subject: Re: hi\r\nList-Id: <sales.example.com>\r\n" + thread, "Yes", nil,
                .reply
            ),
            ("no-reply sender", "Subject: Invoice\r\n", "Your invoice", "Billing <no-reply@example.com>", .unrelated),
            (
                "Exim bounce marked auto-generated",
                "Subject: Mail delivery failed\r\nAuto-Submitted: auto-replied\r\nX-Failed-Recipients: x@example.com\r\n",
                "A message that you sent could not be delivered.\r\n550 5.1.1 User unknown", "Mailer-Daemon@mx.example",
                .hardBounce
            ),
            (
                "daemon mail that reports no failure", "Subject: Mail system notice\r\n", "Everything is fine.",
                "MAILER-DAEMON@mx.example", .unrelated
            ),
            ("no From", "Subject: Re: hi\r\n", "anything", "", .unrelated),
        ] as [(String, String, String, String?, InboundKind)])
    func classifies(_ name: String, _ headers: String, _ body: String, _ from: String?, _ expected: InboundKind) {
        let raw = Self.message(headers, body, from: from ?? "Lead <lead@example.com>")
        let reading = InboundClassifier.read(raw, now: Date(timeIntervalSince1970: 1_796_032_800))
        #expect(reading.classification.kind == expected, "\(name): \(reading.evidence)")
        #expect(!reading.evidence.isEmpty)
    }

    @Test func evidenceNamesWhatDecided() {
        let raw = Self.message("Subject: Re: hi\r\nAuto-Submitted: auto-replied\r\n", "I am back on 14 December 2026.")
        let reading = InboundClassifier.read(raw, now: Date(timeIntervalSince1970: 1_796_032_800))
        #expect(reading.evidence == "Auto-Submitted: auto-replied, back 2026-12-14")
    }

    @Test func readsTheRecipientsAVERPAddressHidesIn() {
        let raw = Self.message(
            "Subject: x\r\nCc: \"Doe, J\" <j@example.com>\r\nDelivered-To: bounces+abc@acme.example\r\n"
                + "X-Original-To: sam@acme.example\r\nEnvelope-To: other@acme.example\r\n", "hi")
        let reading = InboundClassifier.read(raw, now: Date(timeIntervalSince1970: 1_796_032_800))
        #expect(
            reading.headers.recipients == [
                "sam@acme.example", "j@example.com", "bounces+abc@acme.example", "other@acme.example",
            ])
        #expect(reading.headers.messageID == "t@example.com")
        #expect(reading.headers.date == Date(timeIntervalSince1970: 1_796_031_000))
    }
}

/// Nothing from the mail reaches a log line or the store with a line break or a control character in it.
@Suite struct InboundInjectionTests {
    @Test func controlCharactersNeverReachTheReading() {
        let raw = InboundClassifierTests.message(
            "Subject: =?utf-8?Q?hi=0D=0ABcc:_victim@example.com=1B[31m?=\r\n"
                + "In-Reply-To: <a\u{1}b@example.com>\r\nX-Autoreply: yes\u{1B}[2J\r\n"
                + "Cc: <evil\u{7}@example.com>\r\n",
            "away")
        let reading = InboundClassifier.read(raw, now: Date(timeIntervalSince1970: 1_796_032_800))
        let texts =
            [reading.evidence, reading.headers.subject ?? ""] + reading.headers.inReplyTo
            + reading.headers.recipients
        for text in texts {
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(text.debugDescription)")
        }
        #expect(reading.headers.inReplyTo.isEmpty)
        #expect(!reading.headers.recipients.contains { $0.contains("evil") })
    }

    @Test func aBounceDiagnosticIsOneLine() {
        let raw = Array(
            ("From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
                + "Final-Recipient: rfc822; x\u{1B}@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 \u{1B}[31mgone\u{0}\r\n\r\n--b--\r\n").utf8)
        let reading = InboundClassifier.read(raw, now: Date(timeIntervalSince1970: 1_796_032_800))
        guard case .bounce(let bounce) = reading.classification else {
            Issue.record("not a bounce: \(reading.evidence)")
            return
        }
        #expect(bounce.diagnostic == "550 5.1.1 [31mgone")
        #expect(bounce.recipient == nil)
    }
}
