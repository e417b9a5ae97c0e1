import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import Testing

/// The scheduler on a virtual clock: windows, backoff, give-up, limits, lateness, unknown outcomes,
/// bounces and catch-up pacing, with the shipped configuration (mon–fri 09:00–17:00 in the lead's zone).
@Suite struct SchedulerTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    @Test("a lead added on Saturday gets its welcome at Monday 09:00 in its own time zone, not before")
    func windowMovesToNextOpening() async throws {
        let fixture = try SchedulerFixture(start: .at("2026-11-28T15:00:00Z"))
        try await fixture.add("sat@example.com")
        await fixture.scheduler.pass()
        let row = try #require(try await fixture.sends("sat@example.com").first)
        #expect(row.step == "welcome")
        #expect(row.nextAttemptAt == .at("2026-11-30T14:00:00Z"))
        #expect(row.reason?.contains("next opening 2026-11-30 09:00 America/New_York") == true)
        #expect(row.reasonKind == .outsideWindow)
        await fixture.advance(by: .seconds(2 * 86_400 - 3600 - 60))
        #expect(fixture.transport.sent.isEmpty, "08:59 Monday is still outside the window")
        await fixture.advance(by: .seconds(60))
        #expect(fixture.transport.sent.map(\.recipient) == ["sat@example.com"])
    }

    @Test("a lead in Tokyo is not mailed at 3 a.m. its time")
    func leadTimeZone() async throws {
        let fixture = try SchedulerFixture(start: tuesdayMorningTokyoNight)
        try await fixture.add("tokyo@example.com", timeZone: "Asia/Tokyo")
        await fixture.scheduler.pass()
        #expect(fixture.transport.sent.isEmpty)
        let row = try #require(try await fixture.sends("tokyo@example.com").first)
        #expect(row.nextAttemptAt == .at("2026-11-25T00:00:00Z"), "09:00 Wednesday in Tokyo")
    }

    /// 03:00 Wednesday in Tokyo.
    var tuesdayMorningTokyoNight: Date { .at("2026-11-24T18:00:00Z") }

    @Test("4xx is retried with the same Message-ID after 5, 10, 20 minutes")
    func backoff() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        fixture.transport.script([.deferred, .deferred, .deferred])
        try await fixture.add("retry@example.com")
        await fixture.scheduler.pass()
        var gaps: [TimeInterval] = []
        for minutes in [5, 10, 20] {
            let row = try #require(try await fixture.sends("retry@example.com").first)
            #expect(row.state == .deferred)
            gaps.append(row.nextAttemptAt.timeIntervalSince(fixture.clock.now()))
            await fixture.advance(by: .seconds(60 * minutes - 1))
            #expect(fixture.transport.sent.count == [5: 1, 10: 2, 20: 3][minutes], "no attempt before the backoff")
            await fixture.advance(by: .seconds(1))
        }
        #expect(gaps == [300, 600, 1200])
        let sent = fixture.transport.sent
        #expect(sent.count == 4)
        #expect(Set(sent.map(\.messageID)).count == 1, "every retry reuses the Message-ID")
        let row = try #require(try await fixture.sends("retry@example.com").first)
        #expect(row.state == .sent)
        #expect(row.attempts == 4)
    }

    @Test("a send deferred past the give-up age fails with a reason, and the sequence goes on")
    func giveUp() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning) { policy in
            policy.retry = RetryPolicy(firstDelay: .seconds(300), maxDelay: .seconds(600), giveUpAfter: .seconds(3600))
        }
        fixture.transport.script(Array(repeating: .deferred, count: 50))
        try await fixture.add("never@example.com")
        await fixture.scheduler.pass()
        for _ in 0..<14 { await fixture.advance(by: .seconds(300)) }
        let rows = try await fixture.sends("never@example.com")
        #expect(rows.first?.state == .failed)
        #expect(rows.first?.reason?.isEmpty == false)
        #expect(rows.last?.step == "guide", "the next step is planned")
    }

    @Test("the global per-minute limit holds the excess with a visible reason, then lets it go")
    func globalRateLimit() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning) { policy in
            policy.rateLimits = RateLimits(globalPerMinute: 2)
        }
        for index in 0..<5 { try await fixture.add("rate\(index)@example.com") }
        await fixture.scheduler.pass()
        #expect(fixture.transport.sent.count == 2)
        var held: [PlannedSend] = []
        for index in 0..<5 { held += try await fixture.sends("rate\(index)@example.com").filter { $0.state == .held } }
        #expect(held.count == 3)
        #expect(held.allSatisfy { $0.reason?.contains("rate limit") == true })
        #expect(held.allSatisfy { $0.reasonKind == .rateLimit })
        await fixture.advance(by: .seconds(30))
        #expect(fixture.transport.sent.count == 2, "still within the same minute")
        await fixture.advance(by: .seconds(31))
        #expect(fixture.transport.sent.count == 4)
        await fixture.advance(by: .seconds(61))
        #expect(fixture.transport.sent.count == 5)
    }

    @Test("an unknown outcome counts against the rate limit: a later send in the same minute is held")
    func unknownCountsTowardRateLimit() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning) { policy in
            policy.rateLimits = RateLimits(globalPerMinute: 2)
        }
        fixture.transport.script([.unknown, .unknown])
        try await fixture.add("lost0@example.com")
        try await fixture.add("lost1@example.com")
        await fixture.scheduler.pass()
        #expect(fixture.transport.sent.count == 2)
        #expect(try await fixture.sends("lost0@example.com").first?.state == .unknown)
        try await fixture.add("next@example.com")
        await fixture.advance(by: .seconds(10))
        #expect(
            fixture.transport.sent.count == 2, "the two unknown sends may have reached the relay: the limit is full")
        let held = try await fixture.sends("next@example.com").first
        #expect(held?.state == .held)
        #expect(held?.reason?.contains("rate limit") == true)
        await fixture.advance(by: .seconds(61))
        #expect(fixture.transport.sent.count == 3, "sent once the minute has passed")
    }

    @Test("after downtime a step later than the lateness limit is skipped, not sent out of order")
    func tooLateIsSkipped() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        try await fixture.add("late@example.com")
        await fixture.scheduler.pass()
        #expect(fixture.transport.sent.count == 1)
        fixture.clock.advance(by: .seconds(10 * 86_400))  // down for ten days: the guide was due on day 7
        await fixture.scheduler.pass()
        let rows = try await fixture.sends("late@example.com")
        #expect(rows.map(\.step) == ["welcome", "guide", "case-study"])
        #expect(rows[1].state == .skipped)
        #expect(rows[1].reason?.isEmpty == false)
        #expect(rows[2].state == .planned)
        #expect(fixture.transport.sent.count == 1)
    }

    @Test("unknown outcome: not resent by default; the sequence continues")
    func unknownIsHeld() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        fixture.transport.script([.unknown])
        try await fixture.add("lost@example.com")
        await fixture.scheduler.pass()
        await fixture.advance(by: .seconds(3600))
        let rows = try await fixture.sends("lost@example.com")
        #expect(rows.first?.state == .unknown)
        #expect(rows.last?.step == "guide")
        #expect(fixture.transport.sent.count == 1)
    }

    @Test("unknown outcome with policy resend: resent with the same Message-ID")
    func unknownResend() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning) { $0.unknownOutcome = .resend }
        fixture.transport.script([.unknown])
        try await fixture.add("again@example.com")
        await fixture.scheduler.pass()
        await fixture.advance(by: .seconds(300))
        let sent = fixture.transport.sent
        #expect(sent.count == 2)
        #expect(sent.first?.messageID == sent.last?.messageID)
        #expect(try await fixture.sends("again@example.com").first?.state == .sent)
    }

    @Test("a 5xx bounce suppresses the lead and ends its enrollment; nothing more is sent")
    func bounceSuppresses() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        fixture.transport.script([.failed])
        try await fixture.add("gone@example.com")
        await fixture.scheduler.pass()
        let address = try EmailAddress("gone@example.com")
        #expect(try await fixture.store.lead(address)?.hasBounced == true)
        #expect(try await fixture.store.isSuppressed(fixture.configuration.addressKeying.suppressionKey(for: address)))
        #expect(try await fixture.store.enrollments(for: address).allSatisfy { !$0.isActive })
        await fixture.advance(by: .seconds(30 * 86_400))
        #expect(fixture.transport.sent.count == 1)
    }

    @Test("a 5.7.x refusal pauses the relay: the send waits without suppressing the lead, and goes after the pause")
    func senderPolicyDoesNotSuppress() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        fixture.transport.script(outcomes: [
            DeliveryOutcome(
                kind: .failed, reply: SMTPReply(code: 550, enhancedCode: "5.7.1", text: "not permitted"),
                phase: .mailFrom)
        ])
        try await fixture.add("policy@example.com")
        await fixture.scheduler.pass()
        let address = try EmailAddress("policy@example.com")
        #expect(try await fixture.store.lead(address)?.hasBounced == false)
        #expect(try await !fixture.store.isSuppressed(fixture.configuration.addressKeying.suppressionKey(for: address)))
        var rows = try await fixture.sends("policy@example.com")
        #expect(rows.map(\.state) == [.deferred])
        #expect(rows.first?.lastCode == 550)
        #expect(rows.first?.reason?.contains("paused until") == true, "\(rows.first?.reason ?? "")")
        #expect(rows.first?.reasonKind == .relayPaused)
        #expect(try await fixture.store.relayPauses().map(\.relay) == ["127.0.0.1:2525"])
        await fixture.advance(by: .seconds(31))
        rows = try await fixture.sends("policy@example.com")
        #expect(rows.map(\.state) == [.sent, .planned])
        #expect(try await fixture.store.relayPauses().isEmpty, "the accepted probe ended the pause")
    }

    @Test("overdue sends after downtime are spread out at the catch-up pace, not burst")
    func catchUpPacing() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning) { policy in
            policy.catchUp = CatchUpPacing(threshold: .seconds(60), perMinute: 10)
        }
        for index in 0..<25 { try await fixture.add("burst\(index)@example.com") }
        await fixture.advance(by: .seconds(2 * 3600))  // the daemon was down for two hours
        #expect(fixture.transport.sent.count == 10)
        var held: [PlannedSend] = []
        for index in 0..<25 {
            held += try await fixture.sends("burst\(index)@example.com").filter { $0.state == .held }
        }
        #expect(held.count == 15)
        #expect(held.allSatisfy { $0.reason?.contains("catching up") == true })
        #expect(held.allSatisfy { $0.reasonKind == .catchUp })
        await fixture.advance(by: .seconds(30))
        #expect(fixture.transport.sent.count == 10)
        await fixture.advance(by: .seconds(31))
        #expect(fixture.transport.sent.count == 20)
        await fixture.advance(by: .seconds(61))
        #expect(fixture.transport.sent.count == 25)
    }

    @Test("sales steps come from the owner; a sales lead without an owner is held with the reason")
    func salesNeedsOwner() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        try await fixture.add("owned@example.com", stage: .salesQualified, owner: "marco")
        await fixture.scheduler.pass()
        #expect(fixture.transport.sent.map(\.recipient) == ["owned@example.com"])
        let rows = try await fixture.sends("owned@example.com")
        #expect(rows.first?.sequence == "inbound-sales")
        #expect(rows.first?.state == .sent)
    }

    @Test("a reload that removes a planned step cancels it and the sequence goes on with the next step")
    func reloadRemovesStep() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        try await fixture.add("reload@example.com")
        await fixture.scheduler.pass()
        let runtime = fixture.scheduler.runtime
        var configuration = runtime.configuration
        let index = try #require(configuration.sequences.firstIndex { $0.id == "marketing-nurture" })
        configuration.sequences[index].steps.removeAll { $0.id == "guide" }
        try await fixture.scheduler.reload(
            Scheduler.Runtime(configuration: configuration, builder: runtime.builder, policy: runtime.policy))
        await fixture.scheduler.pass()
        let rows = try await fixture.sends("reload@example.com")
        #expect(rows.map(\.step) == ["welcome", "guide", "case-study"])
        #expect(rows.map(\.state) == [.sent, .cancelled, .planned])
        #expect(rows[1].reason == "step removed from the configuration")
        let welcomeSent = rows[0].updatedAt
        #expect(rows[2].dueAt == welcomeSent.addingTimeInterval(7 * 86_400))
    }

    @Test("the loop sleeps until the earliest waiting send and wakes for it")
    func runLoopSleepsUntilDue() async throws {
        let fixture = try SchedulerFixture(start: .at("2026-11-28T15:00:00Z"))
        try await fixture.add("loop@example.com")
        let task = Task { await fixture.scheduler.run() }
        await fixture.clock.waitUntilSleeping()
        #expect(fixture.transport.sent.isEmpty)
        // Poll interval is one second; step through Saturday and Sunday in big jumps instead.
        fixture.clock.advance(by: .seconds(2 * 86_400 - 3600))
        await fixture.clock.waitUntilSleeping()
        try await waitFor { fixture.transport.sent.count == 1 }
        fixture.scheduler.stop()
        await task.value
        #expect(fixture.transport.sent.count == 1)
    }

    private func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }
}
