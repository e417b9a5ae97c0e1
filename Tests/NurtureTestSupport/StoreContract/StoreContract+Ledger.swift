import Foundation
import NurtureCore
import Synchronization
import Testing

extension StoreContract {
    func planIsIdempotent(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let enrollment = try await store.enroll(ann, in: "sales-follow-up", at: Self.t0, endingOthers: .stageChanged)
        var new = Self.newSend(enrollment, step: "intro", number: 1, offset: 60, track: .sales)
        new.nextAttemptAt = Self.at(3600.25)
        new.reason = "outside window: next opening 09:00 Europe/Berlin"
        let planned = try await store.plan(new, at: Self.at(5))
        let expected = PlannedSend(
            id: planned.id, enrollmentID: enrollment.id, leadEmail: ann, sequence: "sales-follow-up", step: "intro",
            stepNumber: 1, track: .sales, dueAt: Self.at(60), nextAttemptAt: Self.at(3600.25), state: .planned,
            attempts: 0, messageID: new.messageID, reason: new.reason, createdAt: Self.at(5), updatedAt: Self.at(5))
        #expect(planned == expected)
        var again = new
        again.messageID = "<other@nurture.example>"
        again.nextAttemptAt = Self.at(1)
        #expect(try await store.plan(again, at: Self.at(9)) == expected)
        #expect(try await store.send(planned.id) == expected)
        #expect(try await store.sends(for: ann) == [expected])
        #expect(try await store.send(987_654) == nil)
    }

    func earliestWaiting(_ store: any SendStore) async throws {
        #expect(try await store.earliestWaiting() == nil)
        let (enrollment, first) = try await Self.plannedSend(store, "ann@example.com", offset: 30)
        #expect(try await store.earliestWaiting() == Self.at(30))
        let second = try await store.plan(Self.newSend(enrollment, step: "day-2", number: 2, offset: 90), at: Self.t0)
        #expect(try await store.earliestWaiting() == Self.at(30))
        _ = try await store.claimDue(now: Self.at(30), limit: 1)
        #expect(try await store.earliestWaiting() == Self.at(90))
        try await store.record(
            first.id, update: SendUpdate(state: .deferred, nextAttemptAt: Self.at(60), attempted: true, code: 421),
            log: Self.logLine(first, .deferred, code: 421), next: nil, at: Self.at(31))
        #expect(try await store.earliestWaiting() == Self.at(60))
        try await store.record(
            second.id, update: SendUpdate(state: .skipped, attempted: false, reason: "too late"),
            log: Self.logLine(second, .skipped, attempt: 0, sender: nil), next: nil, at: Self.at(32))
        #expect(try await store.earliestWaiting() == Self.at(60))
        try await store.endEnrollment(enrollment.id, reason: .replied, at: Self.at(33))
        #expect(try await store.earliestWaiting() == nil)
    }

    func claimDueOrderAndLimit(_ store: any SendStore) async throws {
        let offsets: [(String, Double)] = [("c", 30), ("a", 10), ("e", 500), ("b", 20), ("d", 40)]
        var ids: [String: Int64] = [:]
        for (name, offset) in offsets {
            ids[name] = try await Self.plannedSend(store, "\(name)@example.com", offset: offset).1.id
        }
        let firstClaim = try await store.claimDue(now: Self.at(100), limit: 2)
        #expect(firstClaim.map(\.id) == [ids["a"], ids["b"]])
        #expect(firstClaim.allSatisfy { $0.state == .inFlight })
        #expect(try await store.send(ids["a"] ?? 0)?.state == .inFlight)
        #expect(try await store.claimDue(now: Self.at(100), limit: 10).map(\.id) == [ids["c"], ids["d"]])
        #expect(try await store.claimDue(now: Self.at(100), limit: 10).isEmpty)
        #expect(try await store.claimDue(now: Self.at(500), limit: 0).isEmpty)
        #expect(try await store.claimDue(now: Self.at(500), limit: 10).map(\.id) == [ids["e"]])
    }

    func claimDueConcurrently(_ store: any SendStore) async throws {
        var planned: Set<Int64> = []
        for index in 0..<60 {
            let lead = try Self.address("lead\(index)@example.com")
            let enrollment = try await store.enroll(lead, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
            for step in 0..<3 {
                let send = Self.newSend(enrollment, step: "step-\(step)", number: step + 1, offset: Double(index))
                planned.insert(try await store.plan(send, at: Self.t0).id)
            }
        }
        try await Self.plannedSend(store, "later@example.com", offset: 5000)
        #expect(planned.count == 180)
        let claims = ClaimCollector()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        while true {
                            let batch = try await store.claimDue(now: Self.at(1000), limit: 7)
                            if batch.isEmpty { return }
                            claims.add(batch.map(\.id))
                        }
                    } catch {
                        claims.fail(error)
                    }
                }
            }
        }
        #expect(claims.errors.isEmpty)
        #expect(claims.ids.count == planned.count, "every due row claimed exactly once")
        #expect(Set(claims.ids) == planned)
    }

    func recordAppliesLogsAndPlansNext(_ store: any SendStore) async throws {
        let (enrollment, send) = try await Self.plannedSend(store, "ann@example.com")
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        let next = Self.newSend(enrollment, step: "day-3", number: 2, offset: 172_800)
        try await store.record(
            send.id, update: SendUpdate(state: .sent, attempted: true, code: 250, reply: "2.0.0 queued as 1A2B"),
            log: Self.logLine(send, .sent, at: 2, code: 250), next: next, at: Self.at(2))
        let row = try await store.send(send.id)
        #expect(row?.state == .sent)
        #expect(row?.attempts == 1)
        #expect(row?.lastCode == 250)
        #expect(row?.lastReply == "2.0.0 queued as 1A2B")
        #expect(row?.updatedAt == Self.at(2))
        #expect(row?.nextAttemptAt == send.nextAttemptAt)
        let lines = try await store.log(SendLogFilter())
        #expect(lines.count == 1)
        #expect(lines.first?.id ?? 0 > 0)
        var expected = Self.logLine(send, .sent, at: 2, code: 250)
        expected.id = lines.first?.id ?? 0
        #expect(lines.first == expected)
        let sends = try await store.sends(for: enrollment.leadEmail)
        #expect(sends.map(\.step) == ["day-1", "day-3"])
        #expect(sends.last?.state == .planned)
        #expect(sends.last?.createdAt == Self.at(2))
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).isEmpty)
    }

    func attemptsCountTransfersOnly(_ store: any SendStore) async throws {
        let (_, send) = try await Self.plannedSend(store, "ann@example.com")
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        try await store.record(
            send.id, update: SendUpdate(state: .deferred, nextAttemptAt: Self.at(300), attempted: true, code: 451),
            log: Self.logLine(send, .deferred, code: 451), next: nil, at: Self.at(1))
        var row = try await store.send(send.id)
        #expect(row?.attempts == 1)
        #expect(row?.state == .deferred)
        #expect(row?.nextAttemptAt == Self.at(300))
        _ = try await store.claimDue(now: Self.at(300), limit: 1)
        try await store.record(
            send.id,
            update: SendUpdate(
                state: .held, nextAttemptAt: Self.at(900), attempted: false, reason: "rate limit for acme.example"),
            log: Self.logLine(send, .held, attempt: 0, sender: nil), next: nil, at: Self.at(301))
        row = try await store.send(send.id)
        #expect(row?.attempts == 1)
        #expect(row?.state == .held)
        #expect(row?.reason == "rate limit for acme.example")
        #expect(row?.nextAttemptAt == Self.at(900))
        _ = try await store.claimDue(now: Self.at(900), limit: 1)
        try await store.record(
            send.id, update: SendUpdate(state: .failed, attempted: true, code: 550, reply: "no such user"),
            log: Self.logLine(send, .failed, attempt: 2, code: 550), next: nil, at: Self.at(901))
        row = try await store.send(send.id)
        #expect(row?.attempts == 2)
        #expect(row?.state == .failed)
        #expect(row?.lastCode == 550)
        #expect(try await store.log(SendLogFilter()).map(\.state) == [.deferred, .held, .failed])
    }

    func recoverInFlight(_ store: any SendStore) async throws {
        let (_, first) = try await Self.plannedSend(store, "ann@example.com")
        let (_, second) = try await Self.plannedSend(store, "bob@example.com")
        let (_, waiting) = try await Self.plannedSend(store, "cid@example.com", offset: 600)
        #expect(try await store.claimDue(now: Self.t0, limit: 10).count == 2)
        let recovered = try await store.recoverInFlight(at: Self.at(5))
        #expect(recovered.map(\.id).sorted() == [first.id, second.id])
        #expect(recovered.allSatisfy { $0.state == .unknown && $0.updatedAt == Self.at(5) && $0.reason != nil })
        #expect(try await store.send(first.id)?.state == .unknown)
        #expect(try await store.send(waiting.id)?.state == .planned)
        let lines = try await store.log(SendLogFilter(state: .unknown))
        #expect(lines.map(\.sendID).sorted() == [first.id, second.id])
        #expect(lines.allSatisfy { $0.detail?.isEmpty == false && $0.at == Self.at(5) })
        #expect(try await store.recoverInFlight(at: Self.at(6)).isEmpty)
        #expect(try await store.claimDue(now: Self.at(10), limit: 10).isEmpty, "unknown is never resent")
    }

    func cancelWaiting(_ store: any SendStore) async throws {
        let (enrollment, dayOne) = try await Self.plannedSend(
            store, "ann@example.com", sequence: "welcome", step: "day-1")
        let dayTwo = try await store.plan(Self.newSend(enrollment, step: "day-2", number: 2, offset: 10), at: Self.t0)
        let dayThree = try await store.plan(Self.newSend(enrollment, step: "day-3", number: 3, offset: 20), at: Self.t0)
        let (_, other) = try await Self.plannedSend(store, "bob@example.com", sequence: "webinar", step: "day-2")
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        let count = try await store.cancelWaiting(
            sequence: "welcome", keepingSteps: ["day-1", "day-3"], reason: "step day-2 removed from the configuration",
            at: Self.at(7))
        #expect(count == 1)
        #expect(try await store.send(dayOne.id)?.state == .inFlight)
        #expect(try await store.send(dayTwo.id)?.state == .cancelled)
        #expect(try await store.send(dayTwo.id)?.reason == "step day-2 removed from the configuration")
        #expect(try await store.send(dayThree.id)?.state == .planned)
        #expect(try await store.send(other.id)?.state == .planned)
        let lines = try await store.log(SendLogFilter(state: .cancelled))
        #expect(lines.map(\.sendID) == [dayTwo.id])
        #expect(lines.first?.detail == "step day-2 removed from the configuration")
        #expect(
            try await store.cancelWaiting(sequence: "welcome", keepingSteps: [], reason: "gone", at: Self.at(8)) == 1)
    }

    func stateCounts(_ store: any SendStore) async throws {
        #expect(try await store.stateCounts().isEmpty)
        let (_, first) = try await Self.plannedSend(store, "ann@example.com")
        try await Self.plannedSend(store, "bob@example.com")
        try await Self.plannedSend(store, "cid@example.com", offset: 900)
        let claimed = try await store.claimDue(now: Self.t0, limit: 2)
        #expect(claimed.count == 2)
        try await store.record(
            first.id, update: SendUpdate(state: .sent, attempted: true, code: 250),
            log: Self.logLine(first, .sent, code: 250), next: nil, at: Self.at(1))
        #expect(try await store.stateCounts() == [.sent: 1, .inFlight: 1, .planned: 1])
    }
}

/// Claimed ids and errors gathered from several tasks.
private final class ClaimCollector: Sendable {
    private let state = Mutex<(ids: [Int64], errors: [String])>(([], []))

    func add(_ ids: [Int64]) { state.withLock { $0.ids += ids } }
    func fail(_ error: any Error) { state.withLock { $0.errors.append("\(error)") } }
    var ids: [Int64] { state.withLock { $0.ids } }
    var errors: [String] { state.withLock { $0.errors } }
}
