import Foundation
import NurtureCore
import Testing

@Suite("Rate limits")
struct RateLimitsTests {
    let limits = RateLimits(globalPerMinute: 120, perDomainPerHour: 30)
    let now = ScheduleFixtures.due

    private func decide(_ counts: RateCounts, senderPerDay: Int? = 80) -> RateDecision {
        limits.decide(
            counts: counts, senderPerDay: senderPerDay, sender: "dana@example.com", domain: "example.org", now: now)
    }

    @Test("under every limit: allow")
    func under() {
        #expect(decide(RateCounts(lastMinute: 119, senderLast24Hours: 79, domainLastHour: 29)) == .allow)
    }

    @Test("exactly at the minute limit waits 10 seconds")
    func minute() {
        let decision = decide(RateCounts(lastMinute: 120))
        #expect(
            decision
                == .wait(
                    until: ScheduleFixtures.after(.seconds(10)),
                    reason: "rate limit: 120 sends in the last minute (limit 120 per minute)"))
    }

    @Test("exactly at the sender's daily limit waits 15 minutes")
    func senderDay() {
        let decision = decide(RateCounts(senderLast24Hours: 80))
        #expect(
            decision
                == .wait(
                    until: ScheduleFixtures.after(.seconds(900)),
                    reason: "rate limit: sender dana@example.com sent 80 in the last 24 hours (daily limit 80)"))
    }

    @Test("exactly at the domain's hourly limit waits 5 minutes")
    func domainHour() {
        let decision = decide(RateCounts(domainLastHour: 30))
        #expect(
            decision
                == .wait(
                    until: ScheduleFixtures.after(.seconds(300)),
                    reason: "rate limit: 30 sends to example.org in the last hour (limit 30 per hour)"))
    }

    @Test("over a limit also waits")
    func over() {
        guard case .wait = decide(RateCounts(lastMinute: 500)) else {
            Issue.record("expected a wait over the limit")
            return
        }
    }

    @Test("no limits: anything goes")
    func none() {
        let decision = RateLimits().decide(
            counts: RateCounts(lastMinute: 10_000, senderLast24Hours: 10_000, domainLastHour: 10_000),
            senderPerDay: nil, sender: "news@acme.example", domain: "example.org", now: now)
        #expect(decision == .allow)
    }

    @Test("several limits reached: the longest wait is reported")
    func several() {
        guard case .wait(let until, let reason) = decide(RateCounts(lastMinute: 120, domainLastHour: 30)) else {
            Issue.record("expected a wait")
            return
        }
        #expect(until == ScheduleFixtures.after(.seconds(300)))
        #expect(reason.contains("example.org"))
    }
}
