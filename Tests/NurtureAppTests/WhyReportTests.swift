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

/// The lead flags that stop all mail, for the table above.
enum StopFlag: Sendable { case none, unsubscribed, bounced }
