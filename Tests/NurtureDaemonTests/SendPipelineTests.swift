import Foundation
import NurtureApp
import NurtureCore
import NurtureDaemon
import NurtureSQLite
import NurtureTestSupport
import Testing

/// The send pipeline: claim-ahead, connection workers and group commit keep the guarantees of one send at a time.
@Suite struct SendPipelineTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    @Test("many due sends over two connections: each sent once, recorded sent, never more than two at once")
    func everySendOnceOverThePool() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        let leads = (0..<40).map { "pipe\($0)@example.com" }
        for lead in leads { try await fixture.add(lead) }
        await fixture.scheduler.pass()
        let sent = fixture.transport.sent
        #expect(sent.count == 40)
        #expect(Set(sent.map(\.recipient)) == Set(leads))
        #expect(Set(sent.map(\.messageID)).count == 40, "one Message-ID per send")
        #expect(fixture.transport.mostAtOnce <= 2)
        #expect(try await fixture.store.stateCounts()[.sent] == 40)
        let lines = try await fixture.store.log(SendLogFilter(state: .sent))
        #expect(lines.count == 40)
        #expect(lines.allSatisfy { $0.startedAt != nil && $0.startedAt! <= $0.at }, "every attempt has its start")
        // Each recorded send planned the next step in the same commit.
        #expect(try await fixture.store.stateCounts()[.planned] == 40)
    }

    @Test("at most claimAhead rows are in flight; a crash leaves exactly those unknown, none resent")
    func claimAheadIsBoundedAndCrashSafe() async throws {
        let fixture = try SchedulerFixture(
            start: Self.tuesdayMorning, options: Scheduler.Options(concurrency: 1, claimAhead: 4))
        for index in 0..<10 { try await fixture.add("crash\(index)@example.com") }
        fixture.transport.gate.close()
        let pass = Task { await fixture.scheduler.pass() }
        await fixture.transport.gate.waitUntilHolding(1)
        let counts = try await fixture.store.stateCounts()
        #expect(counts[.inFlight] == 4, "one transferring, three claimed ahead")
        #expect(counts[.planned] == 6)
        // The daemon dies here; the next start opens the same file and recovers.
        let restarted = try SQLiteStore(path: fixture.store.path)
        let recovered = try await restarted.recoverInFlight(at: fixture.clock.now())
        #expect(recovered.count == 4)
        #expect(try await restarted.stateCounts()[.unknown] == 4)
        #expect(try await restarted.stateCounts()[.planned] == 6)
        fixture.transport.gate.open()
        await pass.value
    }

    @Test("with a lookahead, each send is claimed before it is due, held, and handed to its connection at its due time")
    func lookaheadClaimsEarlySendsOnTime() async throws {
        let fixture = try SchedulerFixture(
            start: Self.tuesdayMorning, options: Scheduler.Options(concurrency: 1, lookahead: .milliseconds(250)))
        let first = try await plan(fixture, "early1@example.com", dueIn: 0.2)
        let second = try await plan(fixture, "early2@example.com", dueIn: 0.3)
        let pass = Task { await fixture.scheduler.pass() }
        // t0: the first (due in 200 ms) is claimed and held by the worker; the second (300 ms) is not yet
        // claimable, and the coordinator waits on an alarm for it (two tasks paused on the clock).
        try await eventually { fixture.clock.pausedCount == 2 }
        #expect(try await fixture.store.send(first.id)?.state == .inFlight)
        #expect(try await fixture.store.send(second.id)?.state == .planned)
        #expect(fixture.transport.sent.isEmpty, "nothing is sent before it is due")
        // t0 + 150 ms: the second entered the lookahead (at 50 ms) and is claimed; still nothing sent.
        fixture.clock.advance(by: .milliseconds(150))
        try await eventually { try await fixture.store.send(second.id)?.state == .inFlight }
        #expect(fixture.transport.sent.isEmpty)
        // Just after t0 + 200 ms (a millisecond more, as virtual time is a sum of floating-point steps): the
        // first is due and goes; then just after t0 + 300 ms the second.
        fixture.clock.advance(by: .milliseconds(51))
        try await eventually { fixture.transport.sent.count == 1 }
        #expect(fixture.transport.sent.map(\.recipient) == ["early1@example.com"])
        fixture.clock.advance(by: .milliseconds(100))
        await pass.value
        #expect(fixture.transport.sent.map(\.recipient) == ["early1@example.com", "early2@example.com"])
        let started = try await fixture.store.log(SendLogFilter(state: .sent)).map { ($0.sendID, $0.startedAt) }
        #expect(started.count == 2)
        for (id, startedAt) in started {
            let due = try #require(try await fixture.store.send(id)?.dueAt)
            let late = try #require(startedAt).timeIntervalSince(due)
            #expect(late >= 0 && late < 0.002, "send \(id) started \(late) s after its due time")
        }
    }

    @Test("a lead unsubscribed while its checked send waits for its due time is not sent: the last look cancels it")
    func changeAfterTheChecksStopsTheSend() async throws {
        let fixture = try SchedulerFixture(
            start: Self.tuesdayMorning, options: Scheduler.Options(concurrency: 1, lookahead: .milliseconds(250)))
        let send = try await plan(fixture, "changed@example.com", dueIn: 0.2)
        let pass = Task { await fixture.scheduler.pass() }
        // Claimed and checked ahead of its due time; the worker holds it until then.
        try await eventually { fixture.clock.pausedCount >= 1 }
        #expect(try await fixture.store.send(send.id)?.state == .inFlight)
        // Meanwhile the lead unsubscribes (through the API, the same lead service).
        let service = LeadService(store: fixture.store, configuration: fixture.configuration)
        _ = try await service.apply(.unsubscribed, to: EmailAddress("changed@example.com"), at: fixture.clock.now())
        fixture.clock.advance(by: .milliseconds(201))
        await pass.value
        #expect(fixture.transport.sent.isEmpty, "nothing went to the lead who unsubscribed after the checks")
        let row = try #require(try await fixture.store.send(send.id))
        #expect(row.state == .cancelled)
        // Unsubscribing ended the enrollment, the first rung the last look meets.
        #expect(row.reasonKind == .enrollmentEnded)
        let enrollment = try #require(try await fixture.store.enrollment(send.enrollmentID))
        #expect(enrollment.endedAt != nil)
    }

    /// Adds `email` and plans its first marketing step `dueIn` seconds after the fixture's start.
    private func plan(_ fixture: SchedulerFixture, _ email: String, dueIn: Double) async throws -> PlannedSend {
        try await fixture.add(email)
        let enrollment = try #require(try await fixture.store.enrollments(for: EmailAddress(email)).first)
        let due = Self.tuesdayMorning.addingTimeInterval(dueIn)
        return try await fixture.store.plan(
            NewPlannedSend(
                enrollmentID: enrollment.id, leadEmail: enrollment.leadEmail, sequence: enrollment.sequence,
                step: "welcome", stepNumber: 1, track: .marketing, dueAt: due, nextAttemptAt: due,
                messageID: "<\(enrollment.id).welcome@acme.example>"),
            at: fixture.clock.now())
    }

    /// Polls `condition` every millisecond of real time, for at most five seconds.
}
