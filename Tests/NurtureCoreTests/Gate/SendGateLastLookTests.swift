import Foundation
import NurtureCore
import Testing

@Suite("SendGate.lastLook: a change made after the checks stops the send before its body goes out")
struct SendGateLastLookTests {
    typealias F = GateFixtures

    /// The rungs that read the history (the per-lead gap, the rate limits, catch-up, the Message-ID, the relay's
    /// pause): the checks reserved those, so the last look does not run them again.
    static let historyKinds: Set<ReasonKind> = [.leadGap, .rateLimit, .catchUp, .relayPaused, .invalidMessageID]

    @Test(
        "every first rung stops the send exactly as the checks would; the history rungs are not looked at again",
        arguments: SendGateTests.ladder)
    func matchesTheChecks(_ ladderCase: GateCase) {
        let verdict = SendGate.lastLook(ladderCase.facts, policy: ladderCase.policy, now: ladderCase.now)
        switch ladderCase.expected {
        case .send:
            #expect(verdict.map(shape) == nil)
        case .hold(let kind, _) where Self.historyKinds.contains(kind),
            .cancel(let kind, _) where Self.historyKinds.contains(kind):
            #expect(
                verdict.map(shape) == nil, "\(ladderCase.name) is decided by the checks' reservation, not the last look"
            )
        default:
            #expect(verdict.map(shape) == ladderCase.expected, "\(ladderCase.name)")
        }
    }

    @Test("a lead unsubscribed or moved on after passing the checks is stopped, with the enrollment ended")
    func changedLead() throws {
        let policy = F.policy()
        let checked = F.facts()
        #expect(SendGate.decide(checked, policy: policy, now: F.due).isSend)
        #expect(SendGate.lastLook(checked, policy: policy, now: F.due).map(shape) == nil)
        let unsubscribed = F.facts(lead: Lead(email: F.address, isUnsubscribed: true))
        #expect(
            SendGate.lastLook(unsubscribed, policy: policy, now: F.due).map(shape)
                == .cancel(.unsubscribed, ends: .unsubscribed))
        let ended = F.facts(
            enrollment: EnrollmentRecord(
                id: 3, leadEmail: F.address, sequence: "nurture", startedAt: F.due, endedAt: F.after(1),
                endReason: .stageChanged))
        #expect(SendGate.lastLook(ended, policy: policy, now: F.due).map(shape) == .cancel(.enrollmentEnded, ends: nil))
    }
}

extension SendVerdict {
    fileprivate var isSend: Bool {
        if case .send = self { true } else { false }
    }
}
