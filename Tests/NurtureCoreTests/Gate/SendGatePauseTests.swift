import Foundation
import NurtureCore
import Testing

/// The out-of-office rung: a paused enrollment's sends wait until the pause ends, then go by themselves.
@Suite("SendGate: an enrollment paused by an out-of-office reply")
struct SendGatePauseTests {
    typealias F = GateFixtures

    /// The fixtures' enrollment, paused until `until` (and ended when `ended`).
    static func paused(until: Date?, ended: Bool = false) -> EnrollmentRecord {
        EnrollmentRecord(
            id: 3, leadEmail: F.address, sequence: "nurture", startedAt: F.after(-86_400),
            endedAt: ended ? F.due : nil, endReason: ended ? .replied : nil, pausedUntil: until)
    }

    static let twoDays = F.after(2 * 86_400)

    static let table: [GateCase] = [
        GateCase(
            name: "paused until later: held until the pause ends",
            facts: F.facts(enrollment: paused(until: twoDays)), expected: .hold(.outOfOffice, until: twoDays)),
        GateCase(
            name: "a pause that ends now lets the send go", facts: F.facts(enrollment: paused(until: F.due)),
            expected: .send),
        GateCase(
            name: "a pause that ended before lets the send go", facts: F.facts(enrollment: paused(until: F.after(-60))),
            expected: .send),
        GateCase(
            name: "a send that fell due during a long pause is not too late when it ends",
            facts: F.facts(
                row: F.row(reasonKind: .outOfOffice, nextAttemptAt: F.after(3 * 86_400)),
                enrollment: paused(until: F.after(3 * 86_400))),
            now: F.after(3 * 86_400), expected: .send),
        GateCase(
            name: "lateness counts from the pause's end",
            facts: F.facts(enrollment: paused(until: F.after(3 * 86_400))), now: F.after(6 * 86_400),
            expected: .skip(.tooLate)),
        GateCase(
            name: "an old pause does not excuse lateness", facts: F.facts(enrollment: paused(until: F.after(-86_400))),
            now: F.after(3 * 86_400), expected: .skip(.tooLate)),
        GateCase(
            name: "an ended enrollment is ended, paused or not",
            facts: F.facts(enrollment: paused(until: twoDays, ended: true)),
            expected: .cancel(.enrollmentEnded, ends: nil)),
        GateCase(
            name: "an unsubscribe before the pause",
            facts: F.facts(lead: Lead(email: F.address, isUnsubscribed: true), enrollment: paused(until: twoDays)),
            expected: .cancel(.unsubscribed, ends: .unsubscribed)),
        GateCase(
            name: "a bounce before the pause",
            facts: F.facts(lead: Lead(email: F.address, hasBounced: true), enrollment: paused(until: twoDays)),
            expected: .cancel(.bounced, ends: .bounced)),
        GateCase(
            name: "the suppression list before the pause",
            facts: F.facts(enrollment: paused(until: twoDays), suppressed: true),
            expected: .cancel(.suppressed, ends: .unsubscribed)),
        GateCase(
            name: "a removed step before the pause",
            facts: F.facts(row: F.row(step: "gone"), enrollment: paused(until: twoDays)),
            expected: .cancel(.stepRemoved, ends: nil)),
        GateCase(
            name: "the pause before the step's condition (the lead may change meanwhile)",
            facts: F.facts(row: F.row(step: "company-only"), enrollment: paused(until: twoDays)),
            expected: .hold(.outOfOffice, until: twoDays)),
        GateCase(
            name: "the pause before the window",
            facts: F.facts(enrollment: paused(until: twoDays)), now: F.after(11 * 3600),
            expected: .hold(.outOfOffice, until: twoDays)),
        GateCase(
            name: "the pause before the limits and the relay",
            facts: F.facts(
                enrollment: paused(until: twoDays),
                history: SendHistory(lastSentToLead: F.after(-60), relayPause: F.pause(until: F.after(30)))),
            expected: .hold(.outOfOffice, until: twoDays)),
    ]

    @Test("each case holds, passes or stops the send", arguments: table)
    func pause(_ row: GateCase) {
        #expect(shape(SendGate.decide(row.facts, policy: row.policy, now: row.now)) == row.expected)
    }

    @Test("the hold names the end of the pause in the lead's zone, not the window's")
    func prose() throws {
        let lead = Lead(email: F.address, timeZone: "America/New_York", stage: .salesQualified, owner: "priya")
        let enrollment = EnrollmentRecord(
            id: 3, leadEmail: F.address, sequence: "sales", startedAt: F.due, pausedUntil: Self.twoDays)
        let verdict = SendGate.decide(
            F.facts(row: F.row(sequence: "sales", step: "intro"), lead: lead, enrollment: enrollment),
            policy: F.policy(), now: F.due)
        guard case .hold(let until, let reason) = verdict else {
            Issue.record("expected a hold, got \(verdict)")
            return
        }
        #expect(until == Self.twoDays)
        #expect(reason.kind == .outOfOffice)
        #expect(reason.kind.rawValue == "out-of-office")
        #expect(
            reason.description
                == "paused: out of office until 2025-06-05 05:00 America/New_York; sending resumes by itself then")
    }
}
