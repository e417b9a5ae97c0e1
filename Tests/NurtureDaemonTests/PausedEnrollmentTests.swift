import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSQLite
import Testing

/// An enrollment paused by an out-of-office reply, through the real scheduler on a virtual clock: its next
/// step is held until the pause ends, then goes out by itself, not skipped as late.
@Suite struct PausedEnrollmentTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    @Test("a step due during the pause is held until it ends, the daemon wakes for it, and it is sent then")
    func pausedStepResumesByItself() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        let lead = try await fixture.add("away@example.com")
        await fixture.scheduler.pass()
        #expect(fixture.transport.sent.count == 1, "the welcome goes at once")
        let enrollment = try #require(try await fixture.store.enrollments(for: lead.email).first)
        // Back on Friday 2026-12-04 10:00 New York: three days after the guide falls due (day 7), later than the
        // shipped lateness limit would allow if lateness counted from the step's own due time.
        let back = Date.at("2026-12-04T15:00:00Z")
        _ = try await fixture.store.apply(
            LeadChange(
                lead: lead, suppressionKey: fixture.configuration.addressKeying.suppressionKey(for: lead.email),
                steps: [.pause(enrollment: enrollment.id, until: back)]),
            at: fixture.clock.now())

        await fixture.advance(by: .seconds(7 * 86_400 + 60))
        let held = try #require(try await fixture.sends("away@example.com").last)
        #expect(held.step == "guide")
        #expect(held.state == .held)
        #expect(held.reasonKind == .outOfOffice)
        #expect(held.nextAttemptAt == back)
        #expect(held.reason?.hasPrefix("paused: out of office until 2026-12-04 10:00 America/New_York") == true)
        #expect(try await fixture.store.earliestWaiting() == back, "the daemon wakes when the pause ends")
        #expect(fixture.transport.sent.count == 1)

        await fixture.advance(by: .seconds(back.timeIntervalSince(fixture.clock.now()) - 60))
        #expect(fixture.transport.sent.count == 1, "a minute before the pause ends nothing is sent")
        await fixture.advance(by: .seconds(60))
        #expect(fixture.transport.sent.count == 2, "sent when the pause ends")
        let rows = try await fixture.sends("away@example.com")
        #expect(rows.map(\.state).prefix(2) == [.sent, .sent])
    }

    @Test("a reply during the pause still ends the enrollment: the held step is cancelled")
    func replyEndsAPausedEnrollment() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        let lead = try await fixture.add("away2@example.com")
        await fixture.scheduler.pass()
        let enrollment = try #require(try await fixture.store.enrollments(for: lead.email).first)
        let key = fixture.configuration.addressKeying.suppressionKey(for: lead.email)
        _ = try await fixture.store.apply(
            LeadChange(
                lead: lead, suppressionKey: key,
                steps: [.pause(enrollment: enrollment.id, until: .at("2026-12-04T15:00:00Z"))]),
            at: fixture.clock.now())
        await fixture.advance(by: .seconds(7 * 86_400 + 60))
        _ = try await fixture.store.apply(
            LeadChange(
                lead: lead, suppressionKey: key,
                steps: [.end(enrollment: enrollment.id, sequence: enrollment.sequence, reason: .replied)]),
            at: fixture.clock.now())
        await fixture.advance(by: .seconds(4 * 86_400))
        #expect(fixture.transport.sent.count == 1)
        #expect(try await fixture.sends("away2@example.com").last?.state == .cancelled)
        #expect(try await fixture.store.earliestWaiting() == nil)
    }
}
