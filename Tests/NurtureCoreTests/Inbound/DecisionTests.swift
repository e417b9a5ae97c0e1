import Foundation
import NurtureCore
import Testing

/// What each kind of incoming message does to its lead (issue 14, item 4).
@Suite("Inbound decision")
struct DecisionTests {
    static let now = ISO8601DateFormatter().date(from: "2026-12-01T10:00:00Z")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let email = try! EmailAddress("dana@example.com")
    static let enrollment = EnrollmentRecord(
        id: 7, leadEmail: email, sequence: "inbound-sales", startedAt: now.addingTimeInterval(-86_400))
    static let attribution = Attribution(rule: .messageID, lead: email, sendID: 3)
    static let policy = InboundPolicy(
        outOfOfficeDefault: .seconds(7 * 86_400), softBounceLimit: 3, softBouncePeriod: .seconds(30 * 86_400))

    static func reading(_ classification: InboundClassification) -> InboundReading {
        InboundReading(classification: classification, evidence: "test", headers: InboundHeaders())
    }

    static func facts(
        unsubscribed: Bool = false, bounced: Bool = false, active: Bool = true, softBounces: Int = 0
    ) -> InboundDecision.Facts {
        InboundDecision.Facts(
            lead: Lead(email: email, stage: .salesQualified, isUnsubscribed: unsubscribed, hasBounced: bounced),
            activeEnrollment: active ? enrollment : nil, timeZone: berlin, softBouncesInPeriod: softBounces)
    }

    static func decide(
        _ classification: InboundClassification, facts: InboundDecision.Facts = facts(),
        attribution: Attribution? = attribution, policy: InboundPolicy = policy
    ) -> InboundDecision {
        InboundDecision.decide(
            reading(classification), attribution: attribution, facts: facts, policy: policy, now: now)
    }

    static let hard = InboundClassification.bounce(.init(severity: .hard, status: "5.1.1", format: "rfc3464"))
    static let soft = InboundClassification.bounce(.init(severity: .soft, status: "4.2.2", format: "rfc3464"))

    @Test(
        "events for an attributed, contactable lead",
        arguments: [
            (InboundClassification.reply, [LeadEvent.replied], "ends inbound-sales (replied)"),
            (.optOut, [.unsubscribed], "unsubscribes (opt-out reply)"),
            (.complaint(.init(feedbackType: "abuse")), [.unsubscribed], "unsubscribes and suppresses (complaint)"),
            (hard, [.bounced], "suppresses as bounced (hard bounce 5.1.1)"),
            (.bounce(.init(severity: .hard, format: "postfix")), [.bounced], "suppresses as bounced (hard bounce)"),
            (soft, [], "soft bounce 1 of 3 within 30 days"),
            (.unrelated, [], "nothing: unrelated"),
        ])
    func events(classification: InboundClassification, events: [LeadEvent], action: String) {
        let decision = Self.decide(classification)
        #expect(decision.events == events)
        #expect(decision.pauseUntil == nil)
        #expect(decision.action == action)
    }

    @Test(
        "soft bounces count, and the one that reaches the limit suppresses",
        arguments: [
            (0, 3, false, "soft bounce 1 of 3 within 30 days"),
            (1, 3, false, "soft bounce 2 of 3 within 30 days"),
            (2, 3, true, "suppresses as bounced (soft bounce 3 of 3 within 30 days)"),
            (5, 3, true, "suppresses as bounced (soft bounce 6 of 3 within 30 days)"),
            (0, 1, true, "suppresses as bounced (soft bounce 1 of 1 within 30 days)"),
        ])
    func softBounces(already: Int, limit: Int, suppresses: Bool, action: String) {
        var policy = Self.policy
        policy.softBounceLimit = limit
        let decision = Self.decide(Self.soft, facts: Self.facts(softBounces: already), policy: policy)
        #expect(decision.events == (suppresses ? [.bounced] : []))
        #expect(decision.action == action)
    }

    @Test(
        "out of office pauses until the start of the first business day after the return date, in the lead's zone",
        arguments: [
            ("2026-12-14", "2026-12-14T23:00:00Z", "pauses inbound-sales until 2026-12-15 00:00 Europe/Berlin"),
            ("2026-12-18", "2026-12-20T23:00:00Z", "pauses inbound-sales until 2026-12-21 00:00 Europe/Berlin"),
            ("2026-12-19", "2026-12-20T23:00:00Z", "pauses inbound-sales until 2026-12-21 00:00 Europe/Berlin"),
            ("2026-12-01", "2026-12-01T23:00:00Z", "pauses inbound-sales until 2026-12-02 00:00 Europe/Berlin"),
        ])
    func outOfOffice(back: String, until: String, action: String) {
        let decision = Self.decide(.autoReply(.init(returnDate: LocalDate(parsing: back))))
        #expect(decision.events.isEmpty)
        #expect(decision.pauseUntil == ISO8601DateFormatter().date(from: until))
        #expect(decision.action == action + " (back \(back))")
    }

    @Test("out of office without a date pauses for the configured default")
    func outOfOfficeDefault() {
        var policy = Self.policy
        policy.outOfOfficeDefault = .seconds(3 * 86_400)
        let decision = Self.decide(.autoReply(.init()), policy: policy)
        #expect(decision.events.isEmpty)
        #expect(decision.pauseUntil == Self.now.addingTimeInterval(3 * 86_400))
        #expect(decision.action.hasSuffix("(no return date, 3 days by default)"))
    }

    @Test("out of office with a return date already past changes nothing")
    func outOfOfficePast() {
        let decision = Self.decide(.autoReply(.init(returnDate: LocalDate(parsing: "2026-11-20"))))
        #expect(!decision.changesLead)
        #expect(decision.action.hasPrefix("nothing: out of office, already back"))
    }

    @Test("out of office without an active enrollment changes nothing")
    func outOfOfficeInactive() {
        let decision = Self.decide(.autoReply(.init()), facts: Self.facts(active: false))
        #expect(!decision.changesLead)
        #expect(decision.action == "nothing: out of office, no active enrollment to pause")
    }

    static let everyKind: [InboundClassification] = [
        .reply, .optOut, .complaint(.init()), hard, soft, .autoReply(.init()),
        .autoReply(.init(returnDate: LocalDate(parsing: "2026-12-24"))), .unrelated,
    ]

    @Test("a lead already unsubscribed or bounced is not changed again", arguments: everyKind)
    func endedLead(classification: InboundClassification) {
        for facts in [Self.facts(unsubscribed: true), Self.facts(bounced: true, softBounces: 9)] {
            let decision = Self.decide(classification, facts: facts)
            #expect(!decision.changesLead)
            #expect(decision.action.hasPrefix("nothing: "))
        }
    }

    @Test("an unattributed message changes nothing", arguments: everyKind)
    func unattributed(classification: InboundClassification) {
        let decision = Self.decide(classification, attribution: nil)
        #expect(!decision.changesLead)
        #expect(decision.action.hasPrefix("nothing: "))
    }

    @Test("a lead no longer stored changes nothing", arguments: everyKind)
    func missingLead(classification: InboundClassification) {
        let facts = InboundDecision.Facts(lead: nil, activeEnrollment: nil, timeZone: Self.berlin)
        #expect(!Self.decide(classification, facts: facts).changesLead)
    }

    @Test("an auto-reply never ends an enrollment or suppresses", arguments: [0, 2, 9])
    func autoReplyNeverEnds(softBounces: Int) {
        for returnDate in [nil, LocalDate(parsing: "2026-12-24"), LocalDate(parsing: "2020-01-01")] {
            let decision = Self.decide(
                .autoReply(.init(returnDate: returnDate)), facts: Self.facts(softBounces: softBounces))
            #expect(decision.events.isEmpty)
        }
    }

    @Test("a reply without an active enrollment is still recorded as a reply")
    func replyWithoutEnrollment() {
        let decision = Self.decide(.reply, facts: Self.facts(active: false))
        #expect(decision.events == [.replied])
        #expect(decision.action == "no active enrollment to end (replied)")
    }
}
