import Foundation
import NurtureCore
import Testing

/// One row of the gate's ladder table: facts and policy that stop (or pass) a send at one rung.
struct GateCase: Sendable, CustomTestStringConvertible {
    /// What the verdict must be: its shape and the reason's kind; `until` when the hold's time is fixed.
    enum Expected: Sendable, Equatable {
        case send
        case hold(ReasonKind, until: Date?)
        case skip(ReasonKind)
        case cancel(ReasonKind, ends: EnrollmentEndReason?)
    }

    var name: String
    var facts: SendFacts
    var policy: SendPolicy = GateFixtures.policy()
    var now: Date = GateFixtures.due
    var expected: Expected

    var testDescription: String { name }
}

/// The verdict's shape, as the table states it.
func shape(_ verdict: SendVerdict) -> GateCase.Expected {
    switch verdict {
    case .send: .send
    case .hold(let until, let reason): .hold(reason.kind, until: until)
    case .skip(let reason): .skip(reason.kind)
    case .cancel(let reason): .cancel(reason.kind, ends: reason.endsEnrollment)
    }
}

@Suite("SendGate: the checks before a send, rung by rung")
struct SendGateTests {
    typealias F = GateFixtures

    static let salesLead = Lead(email: F.address, firstName: "Dana", stage: .salesQualified, owner: "priya")
    static let salesEnrollment = EnrollmentRecord(id: 3, leadEmail: F.address, sequence: "sales", startedAt: F.due)

    /// Every rung, each stopping a send the other rungs would let through.
    static let ladder: [GateCase] = [
        GateCase(name: "the lead is gone", facts: F.facts(lead: nil), expected: .cancel(.leadGone, ends: nil)),
        GateCase(
            name: "no enrollment", facts: F.facts(enrollment: nil), expected: .cancel(.enrollmentEnded, ends: nil)),
        GateCase(
            name: "the enrollment ended",
            facts: F.facts(
                enrollment: EnrollmentRecord(
                    id: 3, leadEmail: F.address, sequence: "nurture", startedAt: F.due, endedAt: F.due,
                    endReason: .replied)),
            expected: .cancel(.enrollmentEnded, ends: nil)),
        GateCase(
            name: "the sequence was removed", facts: F.facts(row: F.row(sequence: "gone")),
            expected: .cancel(.sequenceRemoved, ends: nil)),
        GateCase(
            name: "unsubscribed", facts: F.facts(lead: Lead(email: F.address, isUnsubscribed: true)),
            expected: .cancel(.unsubscribed, ends: .unsubscribed)),
        GateCase(
            name: "bounced", facts: F.facts(lead: Lead(email: F.address, hasBounced: true)),
            expected: .cancel(.bounced, ends: .bounced)),
        GateCase(
            name: "a stage that receives nothing", facts: F.facts(lead: Lead(email: F.address, stage: .customer)),
            expected: .cancel(.terminalStage, ends: .stageChanged)),
        GateCase(
            name: "suppressed", facts: F.facts(suppressed: true), expected: .cancel(.suppressed, ends: .unsubscribed)),
        GateCase(
            name: "the step was removed", facts: F.facts(row: F.row(step: "gone")),
            expected: .cancel(.stepRemoved, ends: nil)),
        GateCase(
            name: "the step's condition does not hold", facts: F.facts(row: F.row(step: "company-only")),
            expected: .skip(.conditionNotMet)),
        GateCase(name: "too late", facts: F.facts(), now: F.after(3 * 86_400), expected: .skip(.tooLate)),
        GateCase(
            name: "outside the window", facts: F.facts(), now: F.after(11 * 3600),
            expected: .hold(.outsideWindow, until: F.after(23 * 3600))),
        GateCase(
            name: "a window that never opens", facts: F.facts(row: F.row()),
            policy: SendPolicy(
                sequences: [
                    EmailSequence(
                        id: "nurture", name: "Nurture", track: .marketing,
                        steps: [SequenceStep(id: "welcome", delay: .zero)],
                        window: SendWindow(days: [], timeZoneRule: .fixed("UTC")))
                ], salespeople: [], marketingSender: F.policy().marketingSender, limits: SendLimits(),
                defaultTimeZone: "UTC", scheduling: SchedulingPolicy(), unsubscribeBaseURL: "https://acme.example/u",
                unsubscribeKey: [1]),
            expected: .hold(.windowNeverOpens, until: F.after(3600))),
        GateCase(
            name: "a sales step for a lead nobody owns",
            facts: F.facts(
                row: F.row(sequence: "sales", step: "intro"),
                lead: Lead(email: F.address, stage: .salesQualified), enrollment: salesEnrollment),
            expected: .hold(.noOwner, until: F.after(300))),
        GateCase(
            name: "a sales step for an owner not configured",
            facts: F.facts(
                row: F.row(sequence: "sales", step: "intro"),
                lead: Lead(email: F.address, stage: .salesQualified, owner: "ghost"), enrollment: salesEnrollment),
            expected: .hold(.unknownOwner, until: F.after(300))),
        GateCase(
            name: "the per-lead gap", facts: F.facts(history: SendHistory(lastSentToLead: F.after(-3600))),
            expected: .hold(.leadGap, until: F.after(23 * 3600))),
        GateCase(
            name: "the global minute limit",
            facts: F.facts(history: SendHistory(counts: RateCounts(lastMinute: 2))),
            policy: F.policy(scheduling: SchedulingPolicy(rateLimits: RateLimits(globalPerMinute: 2))),
            expected: .hold(.rateLimit, until: F.after(10))),
        GateCase(
            name: "the marketing sender's daily limit",
            facts: F.facts(history: SendHistory(counts: RateCounts(senderLast24Hours: 3))),
            policy: F.policy(limits: SendLimits(marketingPerDay: 3)),
            expected: .hold(.rateLimit, until: F.after(900))),
        GateCase(
            name: "the salesperson's daily limit",
            facts: F.facts(
                row: F.row(sequence: "sales", step: "intro"), lead: salesLead, enrollment: salesEnrollment,
                history: SendHistory(counts: RateCounts(senderLast24Hours: 5))),
            expected: .hold(.rateLimit, until: F.after(900))),
        GateCase(
            name: "catch-up pacing of a send overdue after downtime",
            facts: F.facts(history: SendHistory(overdueSentLastMinute: 60)), now: F.after(600),
            expected: .hold(.catchUp, until: F.after(610))),
        GateCase(
            name: "catch-up pacing of a send the pacing held before (read from its kind, not its prose)",
            facts: F.facts(
                row: F.row(reasonKind: .catchUp, nextAttemptAt: F.after(600)),
                history: SendHistory(overdueSentLastMinute: 60)),
            now: F.after(600), expected: .hold(.catchUp, until: F.after(610))),
        GateCase(
            name: "a send held for another reason and due now is not paced",
            facts: F.facts(
                row: F.row(reasonKind: .rateLimit, nextAttemptAt: F.after(600)),
                history: SendHistory(overdueSentLastMinute: 60)),
            now: F.after(600), expected: .send),
        GateCase(
            name: "an invalid stored Message-ID", facts: F.facts(row: F.row(messageID: "not a message id")),
            expected: .cancel(.invalidMessageID, ends: nil)),
        GateCase(
            name: "the relay is paused", facts: F.facts(history: SendHistory(relayPause: F.pause(until: F.after(30)))),
            expected: .hold(.relayPaused, until: F.after(30))),
        GateCase(
            name: "a relay whose pause is over lets the send go (as the probe)",
            facts: F.facts(history: SendHistory(relayPause: F.pause(until: F.after(-1)))), expected: .send),
        GateCase(name: "nothing stops it", facts: F.facts(), expected: .send),
        GateCase(
            name: "an overdue send under the pace", facts: F.facts(history: SendHistory(overdueSentLastMinute: 59)),
            now: F.after(600), expected: .send),
        GateCase(
            name: "a retried send is never paced",
            facts: F.facts(row: F.row(attempts: 1), history: SendHistory(overdueSentLastMinute: 60)),
            now: F.after(600), expected: .send),
        GateCase(
            name: "the gap has passed", facts: F.facts(history: SendHistory(lastSentToLead: F.after(-86_400))),
            expected: .send),
    ]

    @Test("each rung stops the send with its reason's kind", arguments: ladder)
    func rung(_ row: GateCase) {
        #expect(shape(SendGate.decide(row.facts, policy: row.policy, now: row.now)) == row.expected)
    }

    /// Two rungs failing at once: the earlier one decides.
    static let order: [GateCase] = [
        GateCase(
            name: "lead gone before everything", facts: F.facts(lead: nil, enrollment: nil, suppressed: true),
            expected: .cancel(.leadGone, ends: nil)),
        GateCase(
            name: "unsubscribed before suppressed",
            facts: F.facts(lead: Lead(email: F.address, isUnsubscribed: true), suppressed: true),
            expected: .cancel(.unsubscribed, ends: .unsubscribed)),
        GateCase(
            name: "suppressed before a removed step", facts: F.facts(row: F.row(step: "gone"), suppressed: true),
            expected: .cancel(.suppressed, ends: .unsubscribed)),
        GateCase(
            name: "the condition before lateness", facts: F.facts(row: F.row(step: "company-only")),
            now: F.after(3 * 86_400), expected: .skip(.conditionNotMet)),
        GateCase(
            name: "lateness before the window", facts: F.facts(), now: F.after(3 * 86_400 + 11 * 3600),
            expected: .skip(.tooLate)),
        GateCase(
            name: "the window before the owner",
            facts: F.facts(
                row: F.row(sequence: "sales", step: "intro"), lead: Lead(email: F.address, stage: .salesQualified),
                enrollment: salesEnrollment),
            now: F.after(11 * 3600), expected: .hold(.outsideWindow, until: F.after(23 * 3600))),
        GateCase(
            name: "the window before the limits",
            facts: F.facts(
                history: SendHistory(lastSentToLead: F.after(-3600), relayPause: F.pause(until: F.after(30)))),
            now: F.after(11 * 3600), expected: .hold(.outsideWindow, until: F.after(23 * 3600))),
        GateCase(
            name: "the per-lead gap before the rate limits",
            facts: F.facts(history: SendHistory(lastSentToLead: F.after(-3600), counts: RateCounts(lastMinute: 9))),
            policy: F.policy(scheduling: SchedulingPolicy(rateLimits: RateLimits(globalPerMinute: 2))),
            expected: .hold(.leadGap, until: F.after(23 * 3600))),
        GateCase(
            name: "the rate limits before catch-up pacing",
            facts: F.facts(history: SendHistory(counts: RateCounts(lastMinute: 9), overdueSentLastMinute: 60)),
            policy: F.policy(scheduling: SchedulingPolicy(rateLimits: RateLimits(globalPerMinute: 2))),
            now: F.after(600), expected: .hold(.rateLimit, until: F.after(610))),
        GateCase(
            name: "catch-up pacing before a paused relay",
            facts: F.facts(history: SendHistory(overdueSentLastMinute: 60, relayPause: F.pause(until: F.after(900)))),
            now: F.after(600), expected: .hold(.catchUp, until: F.after(610))),
        GateCase(
            name: "an invalid Message-ID before a paused relay",
            facts: F.facts(
                row: F.row(messageID: "bad"), history: SendHistory(relayPause: F.pause(until: F.after(30)))),
            expected: .cancel(.invalidMessageID, ends: nil)),
    ]

    @Test("when several rungs would stop a send, the earliest decides", arguments: order)
    func earliestRungDecides(_ row: GateCase) {
        #expect(shape(SendGate.decide(row.facts, policy: row.policy, now: row.now)) == row.expected)
    }

    @Test("a marketing send carries what the checks resolved: sender, zone, unsubscribe link, Message-ID")
    func marketingSendIsResolved() throws {
        let policy = F.policy()
        guard case .send(let send) = SendGate.decide(F.facts(), policy: policy, now: F.due) else {
            Issue.record("expected a send")
            return
        }
        #expect(send.from.address.description == "news@acme.example")
        #expect(send.timeZone == "UTC")
        #expect(send.senderTimeZone == "UTC")
        #expect(send.unsubscribeURL == policy.unsubscribeURL(for: F.address))
        #expect(send.unsubscribeURL?.hasPrefix("https://acme.example/u/") == true)
        #expect(send.messageID.description == "<abc.123@acme.example>")
        #expect(send.overdue == false)
    }

    @Test("a sales send goes from the owner, in the owner's zone, without an unsubscribe link")
    func salesSendIsResolved() {
        let facts = F.facts(
            row: F.row(sequence: "sales", step: "intro"), lead: Self.salesLead, enrollment: Self.salesEnrollment)
        guard case .send(let send) = SendGate.decide(facts, policy: F.policy(), now: F.due) else {
            Issue.record("expected a send")
            return
        }
        #expect(send.from.address.description == "priya@acme.example")
        #expect(send.owner?.id == "priya")
        #expect(send.timeZone == "Europe/Berlin")
        #expect(send.senderTimeZone == "Europe/Berlin")
        #expect(send.unsubscribeURL == nil)
    }

    @Test("an overdue send that goes out takes a catch-up slot")
    func overdueSendTakesASlot() {
        guard case .send(let send) = SendGate.decide(F.facts(), policy: F.policy(), now: F.after(600)) else {
            Issue.record("expected a send")
            return
        }
        #expect(send.overdue)
    }

    @Test("the screen says which counts the limits need, so nothing else is gathered")
    func screenNamesTheCounts() {
        let policy = F.policy(
            limits: SendLimits(marketingPerDay: 3),
            scheduling: SchedulingPolicy(rateLimits: RateLimits(perDomainPerHour: 10)))
        guard case .pass(let screened) = SendGate.screen(F.facts(), policy: policy, now: F.due) else {
            Issue.record("expected the screen to pass")
            return
        }
        #expect(screened.sender == "news@acme.example")
        #expect(screened.domain == "example.com")
        #expect(!screened.needsGlobalCount)
        #expect(screened.needsSenderCount)
        #expect(screened.needsDomainCount)
        #expect(screened.senderPerDay == 3)
    }

    @Test("the prose is derived from the reason: the window names its next opening, catch-up its cause")
    func proseFromTheReason() {
        guard case .hold(_, let window) = SendGate.decide(F.facts(), policy: F.policy(), now: F.after(11 * 3600))
        else {
            Issue.record("expected a hold")
            return
        }
        #expect(window.description.hasPrefix("outside the send window of `nurture`; next opening 2025-06-04 08:00"))
        let paced = SendGate.decide(
            F.facts(history: SendHistory(overdueSentLastMinute: 60)), policy: F.policy(), now: F.after(600))
        guard case .hold(_, let catchUp) = paced else {
            Issue.record("expected a hold")
            return
        }
        #expect(catchUp.description.hasPrefix("catching up after downtime: catching up: 60 overdue sends"))
    }
}
