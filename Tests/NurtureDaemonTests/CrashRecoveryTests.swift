import Foundation
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import Testing

/// Start-up recovery from the transfer journal and the stop path, over a real SQLite store and real journal file.
/// A "crash" is a second scheduler opening the same files while the first one's transfer is still held.
@Suite struct CrashRecoveryTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    /// One connection, four claims ahead: one transfer held at the gate (its body "started"), three claimed behind it.
    static func crashWithFourInFlight(leads: Int = 10) async throws -> (SchedulerFixture, Task<Void, Never>) {
        let fixture = try SchedulerFixture(
            start: tuesdayMorning, options: Scheduler.Options(concurrency: 1, claimAhead: 4), journaled: true)
        for index in 0..<leads { try await fixture.add("crash\(index)@example.com") }
        fixture.transport.gate.close()
        let pass = Task { await fixture.scheduler.pass() }
        await fixture.transport.gate.waitUntilHolding(1)
        #expect(try fixture.store.stateCounts()[.inFlight] == min(4, leads))
        return (fixture, pass)
    }

    @Test("after a crash, claims that never started wait again (no attempt counted); the started one is unknown")
    func unstartedClaimsWaitAgain() async throws {
        let (fixture, pass) = try await Self.crashWithFourInFlight()
        let recovery = try fixture.restart().recover()
        #expect(recovery.requeued == 3)
        #expect(recovery.unknown == 1)
        #expect(recovery.recorded == 0)
        #expect(recovery.journal == .trusted)
        #expect(recovery.reset == .ready)
        let counts = try fixture.store.stateCounts()
        #expect(counts[.unknown] == 1)
        // Six never claimed, three given back, and the step after the unknown one (held: the sequence goes on).
        #expect(counts[.planned] == 10)
        #expect(counts[.inFlight] == nil)
        let requeued = try fixture.store.log(SendLogFilter(state: .planned))
        #expect(requeued.count == 3)
        #expect(requeued.allSatisfy { $0.attempt == 0 && $0.detail?.contains("never handed to the relay") == true })
        #expect(try fixture.store.inFlightSends().isEmpty)
        let unknown = try #require(try fixture.store.log(SendLogFilter(state: .unknown)).first)
        #expect(unknown.attempt == 1)
        #expect(unknown.detail?.contains("before its final reply") == true, "\(unknown.detail ?? "")")
        fixture.transport.gate.open()
        await pass.value
    }

    @Test("a send whose 250 was journaled but whose commit was lost is recorded sent with its reply, not resent")
    func acceptedButUncommittedIsSent() async throws {
        let (fixture, pass) = try await Self.crashWithFourInFlight(leads: 1)
        let row = try #require(try fixture.store.inFlightSends().first)
        let journal = try #require(fixture.journal)
        let reply = SMTPReply(code: 250, enhancedCode: "2.0.0", text: "Ok: queued as Q9")
        #expect(journal.replied(sendID: row.id, attempt: 1, outcome: .init(kind: .accepted, reply: reply), at: .now))
        let recovery = try fixture.restart().recover()
        #expect(recovery.recorded == 1)
        #expect(recovery.unknown == 0)
        let sent = try #require(try fixture.store.send(row.id))
        #expect(sent.state == .sent)
        #expect(sent.attempts == 1)
        #expect(sent.lastCode == 250)
        #expect(sent.lastReply?.contains("queued as Q9") == true)
        // Recorded like a live outcome: the next step is planned in the same commit.
        #expect(try fixture.store.stateCounts()[.planned] == 1)
        #expect(fixture.transport.sent.isEmpty, "nothing was sent again")
        fixture.transport.gate.open()
        await pass.value
    }

    @Test("a journaled 4xx is handled like the live outcome: deferred with a retry time, one attempt counted")
    func temporaryRefusalIsDeferred() async throws {
        let (fixture, pass) = try await Self.crashWithFourInFlight(leads: 1)
        let row = try #require(try fixture.store.inFlightSends().first)
        let reply = SMTPReply(code: 451, enhancedCode: "4.3.0", text: "try later")
        #expect(
            try #require(fixture.journal).replied(
                sendID: row.id, attempt: 1, outcome: .init(kind: .deferred, reply: reply), at: .now))
        let recovery = try fixture.restart().recover()
        #expect(recovery.recorded == 1)
        let deferred = try #require(try fixture.store.send(row.id))
        #expect(deferred.state == .deferred)
        #expect(deferred.attempts == 1)
        #expect(deferred.lastCode == 451)
        #expect(deferred.nextAttemptAt > fixture.clock.now())
        fixture.transport.gate.open()
        await pass.value
    }

    @Test("unknown_outcome: resend applies to a send found unknown at start-up: retried with the same Message-ID")
    func resendAppliesToRecoveredUnknown() async throws {
        let (fixture, pass) = try await Self.crashWithFourInFlight(leads: 1)
        let row = try #require(try fixture.store.inFlightSends().first)
        let relay = ScriptedTransport()
        let restarted = try fixture.restart(policy: { $0.unknownOutcome = .resend }, transport: relay)
        let recovery = try restarted.recover()
        #expect(recovery.unknown == 1)
        let retried = try #require(try fixture.store.send(row.id))
        #expect(retried.state == .deferred, "back on the retry path, not held as unknown")
        #expect(retried.attempts == 1)
        // The restarted scheduler resends at the retry time (the crashed one's transfer stays held meanwhile).
        fixture.clock.advance(by: .seconds(3600))
        await restarted.pass()
        #expect(relay.sent.filter { $0.messageID == row.messageID }.count == 1, "\(relay.sent)")
        #expect(try fixture.store.send(row.id)?.state == .sent)
        fixture.transport.gate.open()
        await pass.value
    }

    @Test("without a journal to trust (missing), every send in flight is unknown: the conservative fallback")
    func noJournalMeansUnknown() async throws {
        let (fixture, pass) = try await Self.crashWithFourInFlight()
        try FileManager.default.removeItem(atPath: TransferJournal.path(forStore: fixture.store.path))
        let recovery = try fixture.restart().recover()
        #expect(recovery.journal == .missing)
        #expect(recovery.unknown == 4)
        #expect(recovery.requeued == 0)
        #expect(try fixture.store.stateCounts()[.unknown] == 4)
        #expect(
            try fixture.store.log(SendLogFilter(state: .unknown)).allSatisfy {
                $0.detail?.contains("journal is missing") == true
            })
        fixture.transport.gate.open()
        await pass.value
    }

    @Test("stop gives claimed sends that never went out back to the queue at once; the transfer in progress finishes")
    func stopReleasesUnstartedClaims() async throws {
        let (fixture, pass) = try await Self.crashWithFourInFlight()
        fixture.scheduler.stop()
        try await eventually { try fixture.store.stateCounts()[.inFlight] == 1 }
        #expect(try fixture.store.stateCounts()[.planned] == 9, "the three claimed ahead wait again, durably")
        #expect(fixture.transport.sent.isEmpty)
        fixture.transport.gate.open()
        await pass.value
        #expect(fixture.transport.sent.count == 1, "only the transfer in progress went out")
        let counts = try fixture.store.stateCounts()
        #expect(counts[.sent] == 1)
        #expect(counts[.inFlight] == nil)
        #expect(counts[.unknown] == nil)
    }

    private func eventually(_ condition: () throws -> Bool) async throws {
        for _ in 0..<5000 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("condition not met within 5 s")
    }
}
