import Foundation
import NurtureCore
import Testing

extension StoreContract {
    func enrollEndsOthers(_ store: any SendStore) async throws {
        let (first, send) = try await Self.plannedSend(store, "ann@example.com", sequence: "welcome")
        #expect(first.isActive)
        #expect(first.startedAt == Self.t0)
        let second = try await store.enroll(
            first.leadEmail, in: "sales-follow-up", at: Self.at(30), endingOthers: .stageChanged)
        #expect(second.id != first.id)
        #expect(second.isActive)
        let ended = try await store.enrollment(first.id)
        #expect(ended?.endedAt == Self.at(30))
        #expect(ended?.endReason == .stageChanged)
        #expect(try await store.send(send.id)?.state == .cancelled)
        #expect(try await store.enrollments(for: first.leadEmail).map(\.id) == [first.id, second.id])
        #expect(try await store.enrollment(second.id) == second)
        #expect(try await store.enrollment(999_999) == nil)
        let other = try await store.enroll(
            Self.address("bob@example.com"), in: "welcome", at: Self.t0, endingOthers: .replied)
        #expect(try await store.enrollment(second.id)?.isActive == true)
        #expect(other.isActive)
    }

    func endEnrollmentCancelsWaiting(_ store: any SendStore) async throws {
        let (enrollment, first) = try await Self.plannedSend(store, "ann@example.com", step: "day-1", offset: 0)
        let second = try await store.plan(Self.newSend(enrollment, step: "day-2", number: 2, offset: 10), at: Self.t0)
        let third = try await store.plan(Self.newSend(enrollment, step: "day-3", number: 3, offset: 20), at: Self.t0)
        #expect(try await store.claimDue(now: Self.t0, limit: 1).map(\.id) == [first.id])
        try await store.record(
            second.id,
            update: SendUpdate(state: .held, nextAttemptAt: Self.at(100), attempted: false, reason: "no owner"),
            log: Self.logLine(second, .held, attempt: 0, sender: nil), next: nil, at: Self.at(1))
        let cancelled = try await store.endEnrollment(enrollment.id, reason: .replied, at: Self.at(50))
        #expect(cancelled == 2)
        #expect(try await store.send(first.id)?.state == .inFlight)
        for id in [second.id, third.id] {
            let row = try await store.send(id)
            #expect(row?.state == .cancelled)
            #expect(row?.reason?.contains("replied") == true)
        }
        let lines = try await store.log(SendLogFilter(state: .cancelled))
        #expect(lines.map(\.sendID).sorted() == [second.id, third.id])
        #expect(lines.allSatisfy { $0.at == Self.at(50) && $0.attempt == 0 && $0.recipientDomain == "example.com" })
        #expect(try await store.enrollment(enrollment.id)?.endReason == .replied)
        #expect(try await store.endEnrollment(enrollment.id, reason: .bounced, at: Self.at(60)) == 0)
        #expect(try await store.enrollment(enrollment.id)?.endReason == .replied)
    }

    func enrollmentsNeedingPlan(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let bob = try Self.address("bob@example.com")
        let annEnrollment = try await store.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        let bobEnrollment = try await store.enroll(bob, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == [annEnrollment.id, bobEnrollment.id])
        #expect(try await store.enrollmentsNeedingPlan(limit: 1).count == 1)
        let send = try await store.plan(Self.newSend(annEnrollment, step: "day-1"), at: Self.t0)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == [bobEnrollment.id])
        _ = try await store.claimDue(now: Self.t0, limit: 10)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == [bobEnrollment.id], "in flight is busy")
        try await store.record(
            send.id, update: SendUpdate(state: .sent, attempted: true, code: 250),
            log: Self.logLine(send, .sent, code: 250), next: nil, at: Self.at(1))
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == [annEnrollment.id, bobEnrollment.id])
        let bobSend = try await store.plan(Self.newSend(bobEnrollment, step: "day-1"), at: Self.t0)
        _ = try await store.claimDue(now: Self.t0, limit: 10)
        _ = try await store.recoverInFlight(at: Self.at(2))
        #expect(try await store.send(bobSend.id)?.state == .unknown)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == [annEnrollment.id, bobEnrollment.id])
        try await store.endEnrollment(annEnrollment.id, reason: .completed, at: Self.at(3))
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == [bobEnrollment.id])
        #expect(try await store.enrollmentsNeedingPlan(limit: 0).isEmpty)
    }
}
