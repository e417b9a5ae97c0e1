import Foundation
import NurtureCore
import Testing

@Suite("Catch-up pacing")
struct CatchUpPacingTests {
    let pacing = CatchUpPacing()
    let due = ScheduleFixtures.due

    @Test("defaults: more than 60 s overdue, 60 a minute")
    func defaults() {
        #expect(pacing.threshold == .seconds(60))
        #expect(pacing.perMinute == 60)
    }

    @Test("a send overdue by no more than the threshold is never paced")
    func notOverdue() {
        #expect(pacing.decide(dueAt: due, now: due, overdueSentLastMinute: 1_000) == .allow)
        #expect(pacing.decide(dueAt: due, now: due.addingTimeInterval(60), overdueSentLastMinute: 1_000) == .allow)
    }

    @Test("an overdue send goes while under the pace")
    func under() {
        #expect(pacing.decide(dueAt: due, now: due.addingTimeInterval(61), overdueSentLastMinute: 59) == .allow)
    }

    @Test("at the pace an overdue send waits 10 seconds")
    func atPace() {
        let now = due.addingTimeInterval(3_600)
        guard case .wait(let until, let reason) = pacing.decide(dueAt: due, now: now, overdueSentLastMinute: 60)
        else {
            Issue.record("expected a wait")
            return
        }
        #expect(until == now.addingTimeInterval(10))
        #expect(
            reason == "catching up: 60 overdue sends in the last minute (limit 60 per minute); this one is 1h overdue")
    }
}
