import Foundation
import NurtureCore
import Testing

@Suite("Relay pause policy")
struct RelayPausePolicyTests {
    let policy = RelayPausePolicy()
    let start = Date(timeIntervalSince1970: 1_748_941_200)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test("the wait doubles from 30 s to 15 min")
    func backoff() {
        let waits = (1...8).map { policy.delay(afterRefusals: $0) }
        #expect(waits == [30, 60, 120, 240, 480, 900, 900, 900].map { Duration.seconds($0) })
    }

    @Test("a first refusal pauses; sends are held until the pause ends, with the cause")
    func firstRefusal() throws {
        let pause = policy.refused(nil, relay: "127.0.0.1:2525", cause: "550 at MAIL FROM", probe: false, now: start)
        #expect(pause.since == start && pause.until == at(30) && pause.refusals == 1)
        #expect(policy.admit(nil, now: start) == .send)
        guard case .hold(let until, let reason) = policy.admit(pause, now: at(29)) else {
            Issue.record("held")
            return
        }
        #expect(until == at(30))
        #expect(reason.contains("relay 127.0.0.1:2525 refused: 550 at MAIL FROM; paused until"))
        #expect(reason.contains("retrying with backoff"))
    }

    @Test("after the wait one probe goes; the others wait while it is out")
    func oneProbe() {
        let pause = policy.refused(nil, relay: "r", cause: "c", probe: false, now: start)
        #expect(policy.admit(pause, now: at(30)) == .probe)
        let probing = policy.probing(pause, now: at(30))
        #expect(
            policy.admit(probing, now: at(31))
                == .hold(until: at(41), reason: "relay r refused: c; a probe send is out, waiting for its reply"))
        // A probe whose reply never came is replaced after the longest wait.
        #expect(policy.admit(probing, now: at(30 + 900)) == .probe)
    }

    @Test("a refused probe doubles the wait; a refusal of a send already on its way does not")
    func escalation() {
        let pause = policy.refused(nil, relay: "r", cause: "c", probe: false, now: start)
        let concurrent = policy.refused(pause, relay: "r", cause: "c2", probe: false, now: at(1))
        #expect(concurrent == pause)
        let second = policy.refused(
            policy.probing(pause, now: at(30)), relay: "r", cause: "c3", probe: true, now: at(31))
        #expect(second.refusals == 2 && second.until == at(91) && second.since == start && second.cause == "c3")
        #expect(second.probeSince == nil)
    }

    @Test("a probe that proved nothing lets another go after the same wait")
    func inconclusive() {
        let pause = policy.probing(policy.refused(nil, relay: "r", cause: "c", probe: false, now: start), now: at(30))
        let next = policy.inconclusive(pause, now: at(40))
        #expect(next.probeSince == nil && next.until == at(70) && next.refusals == 1)
    }
}
