import Foundation
import NurtureCore
import Testing

@Suite("Lateness")
struct LatenessTests {
    let lateness = Lateness()
    let due = ScheduleFixtures.due

    @Test("default is 2 days")
    func defaultValue() {
        #expect(lateness.maxLateness == .seconds(172_800))
    }

    @Test("at or before the due time is on time")
    func onTime() {
        #expect(lateness.decide(dueAt: due, now: due) == .onTime)
        #expect(lateness.decide(dueAt: due, now: due.addingTimeInterval(-30)) == .onTime)
    }

    @Test("late within the maximum, up to and including it")
    func late() {
        #expect(lateness.decide(dueAt: due, now: due.addingTimeInterval(1)) == .late(.seconds(1)))
        #expect(lateness.decide(dueAt: due, now: due.addingTimeInterval(172_800)) == .late(.seconds(172_800)))
    }

    @Test("one second over the maximum is too late, with a reason")
    func tooLate() {
        guard case .tooLate(let reason) = lateness.decide(dueAt: due, now: due.addingTimeInterval(172_801)) else {
            Issue.record("expected too late")
            return
        }
        #expect(reason.contains("2025-06-03T09:00:00Z"))
        #expect(reason.contains("max_lateness 2d"))
    }

    @Test("a sequence's own maximum overrides the default")
    func perSequence() {
        let sequence = EmailSequence(
            id: "webinar", name: "Webinar", track: .marketing, steps: [], window: SendWindow(),
            maxLateness: .seconds(3_600))
        let policy = SchedulingPolicy()
        #expect(policy.lateness(for: sequence).maxLateness == .seconds(3_600))
        var plain = sequence
        plain.maxLateness = nil
        #expect(policy.lateness(for: plain) == policy.lateness)
    }
}
