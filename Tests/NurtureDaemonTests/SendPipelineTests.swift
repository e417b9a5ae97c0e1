import Foundation
import NurtureCore
import NurtureDaemon
import NurtureSQLite
import Testing

/// The send pipeline: claim-ahead, connection workers and group commit keep the guarantees of one send at a time.
@Suite struct SendPipelineTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    @Test("many due sends over two connections: each sent once, recorded sent, never more than two at once")
    func everySendOnceOverThePool() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        let leads = (0..<40).map { "pipe\($0)@example.com" }
        for lead in leads { try fixture.add(lead) }
        await fixture.scheduler.pass()
        let sent = fixture.transport.sent
        #expect(sent.count == 40)
        #expect(Set(sent.map(\.recipient)) == Set(leads))
        #expect(Set(sent.map(\.messageID)).count == 40, "one Message-ID per send")
        #expect(fixture.transport.mostAtOnce <= 2)
        #expect(try fixture.store.stateCounts()[.sent] == 40)
        let lines = try fixture.store.log(SendLogFilter(state: .sent))
        #expect(lines.count == 40)
        #expect(lines.allSatisfy { $0.startedAt != nil && $0.startedAt! <= $0.at }, "every attempt has its start")
        // Each recorded send planned the next step in the same commit.
        #expect(try fixture.store.stateCounts()[.planned] == 40)
    }

    @Test("at most claimAhead rows are in flight; a crash leaves exactly those unknown, none resent")
    func claimAheadIsBoundedAndCrashSafe() async throws {
        let fixture = try SchedulerFixture(
            start: Self.tuesdayMorning, options: Scheduler.Options(concurrency: 1, claimAhead: 4))
        for index in 0..<10 { try fixture.add("crash\(index)@example.com") }
        fixture.transport.gate.close()
        let pass = Task { await fixture.scheduler.pass() }
        await fixture.transport.gate.waitUntilHolding(1)
        let counts = try fixture.store.stateCounts()
        #expect(counts[.inFlight] == 4, "one transferring, three claimed ahead")
        #expect(counts[.planned] == 6)
        // The daemon dies here; the next start opens the same file and recovers.
        let restarted = try SQLiteStore(path: fixture.store.path)
        let recovered = try restarted.recoverInFlight(at: fixture.clock.now())
        #expect(recovered.count == 4)
        #expect(try restarted.stateCounts()[.unknown] == 4)
        #expect(try restarted.stateCounts()[.planned] == 6)
        fixture.transport.gate.open()
        await pass.value
    }
}
