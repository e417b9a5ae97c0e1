import Foundation
import NurtureCore
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy()
    let due = ScheduleFixtures.due

    @Test("delays grow 5, 10, 20, 40, 60, 60 minutes")
    func growth() {
        let delays = (1...6).map { policy.delay(afterAttempt: $0) }
        #expect(delays == [5, 10, 20, 40, 60, 60].map(ScheduleFixtures.minutes))
    }

    @Test("each retry is scheduled that long after the failure")
    func retryTimes() {
        var now = due
        for (attempt, minutes) in zip(1..., [5, 10, 20, 40, 60, 60]) {
            let expected = ScheduleFixtures.after(ScheduleFixtures.minutes(minutes), now)
            #expect(policy.decide(attempts: attempt, dueAt: due, now: now) == .retry(at: expected))
            now = expected
        }
    }

    @Test("defaults are Postfix's")
    func defaults() {
        #expect(policy.firstDelay == .seconds(300))
        #expect(policy.maxDelay == .seconds(3_600))
        #expect(policy.giveUpAfter == .seconds(432_000))
    }

    @Test("many attempts stay at the cap without overflowing")
    func manyAttempts() {
        #expect(policy.delay(afterAttempt: 10_000) == .seconds(3_600))
        #expect(policy.delay(afterAttempt: 0) == .seconds(300))
        #expect(policy.delay(afterAttempt: Int.max) == .seconds(3_600))
    }

    @Test("a failure exactly at the give-up boundary gives up; one second before retries")
    func giveUpBoundary() {
        let deadline = ScheduleFixtures.after(.seconds(5 * 86_400))
        guard case .giveUp(let reason) = policy.decide(attempts: 40, dueAt: due, now: deadline) else {
            Issue.record("expected give-up at the deadline")
            return
        }
        #expect(reason.contains("40 attempts"))
        #expect(reason.contains("5d"))
        let justBefore = deadline.addingTimeInterval(-1)
        #expect(policy.decide(attempts: 40, dueAt: due, now: justBefore) == .retry(at: deadline))
    }

    @Test("a retry past the deadline is moved to the deadline")
    func clampedToDeadline() {
        let deadline = ScheduleFixtures.after(.seconds(5 * 86_400))
        let late = deadline.addingTimeInterval(-600)
        #expect(policy.decide(attempts: 12, dueAt: due, now: late) == .retry(at: deadline))
    }

    @Test("custom delays and a cap that is not a doubling")
    func custom() {
        let custom = RetryPolicy(firstDelay: .seconds(60), maxDelay: .seconds(300), giveUpAfter: .seconds(3_600))
        #expect((1...5).map { custom.delay(afterAttempt: $0) } == [60, 120, 240, 300, 300].map { .seconds($0) })
        guard case .giveUp = custom.decide(attempts: 1, dueAt: due, now: ScheduleFixtures.after(.seconds(7_200)))
        else {
            Issue.record("expected give-up an hour after the due time")
            return
        }
    }
}
