import Foundation
import NurtureCore
import Testing

@testable import NurtureApp

/// The `why` answer, from facts alone (no store, no clock): the first rule that applies wins.
@Suite struct WhyReportTests {
    static let configuration = try! AppFixture.configuration()
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func send(_ state: SendState, reason: HoldReason? = nil, inSeconds: Double = 300) -> PlannedSend {
        PlannedSend(
            id: 1, enrollmentID: 1, leadEmail: try! EmailAddress("ana@example.com"), sequence: "marketing-nurture",
            step: "welcome", stepNumber: 1, track: .marketing, dueAt: now, nextAttemptAt: now + inSeconds,
            state: state, attempts: 0, messageID: "<1.welcome@example.com>", reason: reason?.description,
            reasonKind: reason?.kind, createdAt: now, updatedAt: now)
    }

    @Test(
        arguments: [
            (StopFlag.unsubscribed, nil, "unsubscribed: nothing more will be sent"),
            (.bounced, nil, "bounced: mail to this address bounced; nothing more will be sent"),
            (.none, send(.inFlight), "step `welcome` of `marketing-nurture` is being sent right now"),
            (
                .none, send(.held, reason: .outsideWindow(sequence: "marketing-nurture", nextOpening: "Monday 09:00")),
                "held: outside the send window of `marketing-nurture`; next opening Monday 09:00"
            ),
            (
                .none, send(.held, reason: .rateLimit("rate limit: 1 sends to example.com in the last hour")),
                "held: rate limit: 1 sends to example.com in the last hour; looked at again"
            ),
            (
                .none, send(.held, reason: .noOwner),
                "held: no owner; assign a salesperson to the lead, or enable options.round_robin"
            ),
            (.none, send(.planned, inSeconds: -5), "nothing holds it: the daemon sends it on its next pass"),
        ] as [(StopFlag, PlannedSend?, String)])
    func answers(flags: StopFlag, send: PlannedSend?, expected: String) throws {
        var lead = Lead(email: try EmailAddress("ana@example.com"), stage: .lead)
        lead.isUnsubscribed = flags == .unsubscribed
        lead.hasBounced = flags == .bounced
        let report = WhyReport(
            lead: lead, suppressed: flags != .none, enrollments: [], sends: send.map { [$0] } ?? [],
            configuration: Self.configuration, now: Self.now)
        #expect(report.answer.contains(expected), "\(report.answer)")
        if expected.contains("next opening") { #expect(!report.answer.contains("looked at again")) }
    }
}

extension WhyReportTests {
    static let ana = try! EmailAddress("ana@example.com")

    static func enrollment(pausedUntil: Date?, ended: Bool = false) -> EnrollmentRecord {
        EnrollmentRecord(
            id: 1, leadEmail: ana, sequence: "marketing-nurture", startedAt: now - 86_400,
            endedAt: ended ? now - 60 : nil, endReason: ended ? .replied : nil, pausedUntil: pausedUntil)
    }

    static func message(_ kind: InboundKind, at: Date, subject: String? = "Out of office") -> InboundRecord {
        InboundRecord(
            mailbox: "marketing-replies", uidValidity: 1, uid: 12, at: at, from: "ana@example.com", subject: subject,
            kind: kind, evidence: "Auto-Submitted: auto-replied", rule: .verp, leadEmail: ana, action: "paused")
    }

    /// 2027-01-18T08:00:00Z: the lead's zone (Europe/Berlin) reads 09:00.
    static let back = Date(timeIntervalSince1970: 1_800_259_200)

    @Test(
        "a paused enrollment is explained before its send is due: until when in the lead's zone, and by which message",
        arguments: [
            (
                [message(.autoReply, at: now - 3_600)], send(.planned, inSeconds: 600),
                "paused: out of office until 2027-01-18 09:00 Europe/Berlin (automatic reply in mailbox"
                    + " marketing-replies from ana@example.com, subject \"Out of office\", 2027-01-15T07:00:00Z);"
                    + " step `welcome` of `marketing-nurture` goes out then, by itself"
            ),
            (
                [message(.autoReply, at: now - 7_200, subject: "Away\r\nBcc: x"), message(.reply, at: now - 60)], nil,
                "paused: out of office until 2027-01-18 09:00 Europe/Berlin (automatic reply in mailbox"
                    + " marketing-replies from ana@example.com, subject \"Away  Bcc: x\", 2027-01-15T06:00:00Z);"
                    + " sending resumes by itself then"
            ),
            (
                [], send(.held, reason: .paused(until: back, local: "2027-01-18 09:00 Europe/Berlin")),
                "paused: out of office until 2027-01-18 09:00 Europe/Berlin (no incoming message recorded)"
            ),
        ] as [([InboundRecord], PlannedSend?, String)])
    func paused(inbound: [InboundRecord], send: PlannedSend?, expected: String) throws {
        let lead = Lead(email: Self.ana, timeZone: "Europe/Berlin", stage: .lead)
        let report = WhyReport(
            lead: lead, suppressed: false, enrollments: [Self.enrollment(pausedUntil: Self.back)],
            sends: send.map { [$0] } ?? [], inbound: inbound, configuration: Self.configuration, now: Self.now)
        #expect(report.answer.hasPrefix(expected), "\(report.answer)")
        #expect(report.inbound == inbound)
    }

    @Test("a pause that is over, or an ended enrollment, is not reported as paused")
    func notPaused() throws {
        let lead = Lead(email: Self.ana, timeZone: "Europe/Berlin", stage: .lead)
        for enrollment in [
            Self.enrollment(pausedUntil: Self.now - 1), Self.enrollment(pausedUntil: Self.back, ended: true),
        ] {
            let report = WhyReport(
                lead: lead, suppressed: false, enrollments: [enrollment], sends: [Self.send(.planned, inSeconds: -5)],
                inbound: [Self.message(.autoReply, at: Self.now - 3_600)], configuration: Self.configuration,
                now: Self.now)
            #expect(!report.answer.contains("paused"), "\(report.answer)")
        }
    }

    @Test("a long subject is cut and control characters become spaces")
    func printable() {
        #expect(WhyReport.printable("a\u{1B}[2Jb\tc") == "a [2Jb c")
        let long = String(repeating: "x", count: 300)
        #expect(WhyReport.printable(long).count == 120)
        #expect(WhyReport.printable(long).hasSuffix("…"))
    }
}

/// The lead flags that stop all mail, for the table above.
enum StopFlag: Sendable { case none, unsubscribed, bounced }
