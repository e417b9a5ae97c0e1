import Foundation
import NurtureCore
import Testing

/// Tying incoming mail to a send or a lead: VERP → Message-ID → sender address → reported recipient.
@Suite("Inbound attribution")
struct AttributionTests {
    static let verp = VERPCodec(
        localPart: "bounces", domain: "bounces.acme.example", secret: Array("attribution-test-secret".utf8))
    static let dana = try! EmailAddress("Dana@Example.com")
    static let eli = try! EmailAddress("eli@example.com")
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    static func send(_ id: Int64, to lead: EmailAddress, messageID: String) -> PlannedSend {
        PlannedSend(
            id: id, enrollmentID: 1, leadEmail: lead, sequence: "inbound-sales", step: "intro", stepNumber: 1,
            track: .sales, dueAt: at, nextAttemptAt: at, state: .sent, attempts: 1, messageID: messageID,
            createdAt: at, updatedAt: at)
    }

    static let danaSend = send(11, to: dana, messageID: "<1.intro.abc123@acme.example>")
    static let eliSend = send(12, to: eli, messageID: "<2.intro.def456@acme.example>")
    static let allFacts = InboundAttribution.Facts(
        sends: [danaSend, eliSend], leads: [Lead(email: dana), Lead(email: eli)], activeLeads: [dana])

    static func reading(
        _ classification: InboundClassification, from: String? = nil, inReplyTo: [String] = [],
        references: [String] = [], recipients: [String] = []
    ) -> InboundReading {
        InboundReading(
            classification: classification, evidence: "test",
            headers: InboundHeaders(
                from: from.flatMap { try? EmailAddress($0) }, inReplyTo: inReplyTo, references: references,
                recipients: recipients))
    }

    static func attribute(_ reading: InboundReading, facts: InboundAttribution.Facts = allFacts) -> Attribution? {
        let query = InboundAttribution.query(reading, verp: verp)
        return InboundAttribution.attribute(reading, query: query, facts: facts)
    }

    static let verpFor12 = verp.address(forSend: 12)!.description

    @Test(
        "each rule, and the order they are tried in",
        arguments: [
            // VERP beats every other rule.
            (
                reading(
                    .bounce(.init(severity: .hard, recipient: "dana@example.com", format: "rfc3464")),
                    inReplyTo: ["1.intro.abc123@acme.example"], recipients: ["x@acme.example", verpFor12]),
                Attribution(rule: .verp, lead: eli, sendID: 12)
            ),
            // The VERP address in capitals (a relay that uppercases) still reads.
            (
                reading(.bounce(.init(severity: .hard, format: "exim")), recipients: [verpFor12.uppercased()]),
                Attribution(rule: .verp, lead: eli, sendID: 12)
            ),
            // In-Reply-To with brackets and the domain in capitals.
            (
                reading(.reply, from: "dana@example.com", inReplyTo: ["<1.intro.abc123@ACME.Example>"]),
                Attribution(rule: .messageID, lead: dana, sendID: 11)
            ),
            // References: the newest (last) match wins.
            (
                reading(
                    .reply, from: "someone@else.example",
                    references: [
                        "1.intro.abc123@acme.example", "unknown@elsewhere.example", "2.intro.def456@acme.example",
                    ]),
                Attribution(rule: .messageID, lead: eli, sendID: 12)
            ),
            // The returned message's Message-ID in a bounce.
            (
                reading(
                    .bounce(.init(severity: .soft, originalMessageID: "2.intro.def456@acme.example", format: "postfix"))
                ),
                Attribution(rule: .messageID, lead: eli, sendID: 12)
            ),
            // The returned message's Message-ID in a complaint.
            (
                reading(.complaint(.init(originalMessageID: "<1.intro.abc123@acme.example>"))),
                Attribution(rule: .messageID, lead: dana, sendID: 11)
            ),
            // The sender is a lead with an active enrollment (case of the stored address does not matter).
            (reading(.reply, from: "dana@example.com"), Attribution(rule: .senderAddress, lead: dana)),
            (reading(.autoReply(.init()), from: "DANA@example.com"), Attribution(rule: .senderAddress, lead: dana)),
            (reading(.optOut, from: "dana@example.com"), Attribution(rule: .senderAddress, lead: dana)),
            // A bounce's failed recipient, when nothing else matched.
            (
                reading(.bounce(.init(severity: .hard, recipient: "eli@example.com", format: "qmail"))),
                Attribution(rule: .reportedRecipient, lead: eli)
            ),
            (
                reading(.complaint(.init(recipient: "<dana@example.com>"))),
                Attribution(rule: .reportedRecipient, lead: dana)
            ),
        ])
    func rules(reading: InboundReading, expected: Attribution) {
        #expect(Self.attribute(reading) == expected)
    }

    @Test(
        "messages tied to nothing",
        arguments: [
            // A sender who is a lead without an active enrollment.
            reading(.reply, from: "eli@example.com"),
            // A sender who is not a lead at all.
            reading(.reply, from: "stranger@example.com"),
            // A bounce's From is the reporting server, never the lead, even if it looks like one.
            reading(.bounce(.init(severity: .hard, format: "rfc3464")), from: "dana@example.com"),
            // A forged VERP token and unknown Message-IDs.
            reading(
                .bounce(.init(severity: .hard, format: "rfc3464")),
                inReplyTo: ["nope@acme.example", "<>", "no-at-sign"],
                recipients: ["bounces+12-00000000000000000000@bounces.acme.example"]),
            // A reported recipient that is not a lead.
            reading(.bounce(.init(severity: .hard, recipient: "gone@example.com", format: "rfc3464"))),
            // A reported recipient that is not an address.
            reading(.bounce(.init(severity: .hard, recipient: "not an address", format: "rfc3464"))),
            // The reported recipient counts for reports only, not for a reply naming no send.
            reading(.unrelated, from: "dana@example.com"),
        ])
    func unattributed(reading: InboundReading) {
        #expect(Self.attribute(reading) == nil)
    }

    @Test("the query reads VERP ids, normalized message ids in order, and the addresses to look up")
    func query() throws {
        let reading = Self.reading(
            .bounce(
                .init(severity: .hard, recipient: "eli@example.com", originalMessageID: "z@B.example", format: "x")),
            from: "mailer-daemon@mx.example", inReplyTo: ["<a@A.Example>"],
            references: ["r1@x.example", "a@a.example"],
            recipients: [Self.verpFor12, Self.verpFor12, "bounces+12-junk@bounces.acme.example"])
        let query = InboundAttribution.query(reading, verp: Self.verp)
        #expect(query.verpSendIDs == [12])
        #expect(query.messageIDs == ["a@a.example", "r1@x.example", "z@b.example"])
        #expect(query.sender == nil)
        #expect(query.reportedRecipient == Self.eli)
        #expect(query.addresses == [Self.eli])
    }

    @Test("without a VERP codec no token is read")
    func noCodec() {
        let reading = Self.reading(.bounce(.init(severity: .hard, format: "x")), recipients: [Self.verpFor12])
        #expect(InboundAttribution.query(reading, verp: nil).verpSendIDs.isEmpty)
    }

    @Test(
        "message ids are normalized: brackets, space and the domain's case",
        arguments: [
            ("<Abc.1@Acme.Example>", "Abc.1@acme.example"), ("  <x@y.z>  ", "x@y.z"), ("x@y.z", "x@y.z"),
            ("<>", nil), ("", nil), ("no-at", nil), ("@y.z", nil), ("x@", nil), ("<a b@c.d>", nil),
        ] as [(String, String?)])
    func normalized(text: String, expected: String?) {
        #expect(InboundAttribution.normalizedMessageID(text) == expected)
    }
}
