import Foundation
import NurtureCore
import Testing

/// The batch calls: bulk enrollment and planning, the scheduler's group commit, and rate-count seeding.
extension StoreContract {
    func enrollAllInOrder(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let bob = try Self.address("bob@example.com")
        try await store.saveLeads([Lead(email: ann), Lead(email: bob)], at: Self.t0)
        let first = try await store.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        let enrolled = try await store.enrollAll(
            [EnrollmentRequest(email: bob, sequence: "welcome"), EnrollmentRequest(email: ann, sequence: "sales")],
            at: Self.at(1), endingOthers: .stageChanged)
        #expect(enrolled.map(\.leadEmail) == [bob, ann])
        #expect(enrolled.map(\.sequence) == ["welcome", "sales"])
        #expect(enrolled.allSatisfy { $0.isActive && $0.startedAt == Self.at(1) })
        // As with enroll: the lead's other active enrollment ends.
        #expect(try await store.enrollment(first.id)?.endReason == .stageChanged)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).map(\.id) == enrolled.map(\.id).sorted())
    }

    func planAllMatchesPlan(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let bob = try Self.address("bob@example.com")
        try await store.saveLeads([Lead(email: ann), Lead(email: bob)], at: Self.t0)
        let enrollments = try await store.enrollAll(
            [EnrollmentRequest(email: ann, sequence: "welcome"), EnrollmentRequest(email: bob, sequence: "welcome")],
            at: Self.t0, endingOthers: .stageChanged)
        let existing = try await store.plan(Self.newSend(enrollments[0], step: "day-1"), at: Self.t0)
        let planned = try await store.planAll(
            [Self.newSend(enrollments[1], step: "day-1", offset: 5), Self.newSend(enrollments[0], step: "day-1")],
            at: Self.at(1))
        #expect(planned.count == 2)
        #expect(planned[0].leadEmail == bob && planned[0].state == .planned && planned[0].dueAt == Self.at(5))
        // Planning the same (enrollment, step) again returns the existing row unchanged.
        #expect(planned[1] == existing)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).isEmpty)
    }

    func recordAllAppliesInOrderAndClaims(_ store: any SendStore) async throws {
        let (annEnrollment, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com")
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com", offset: 10)
        let (_, dan) = try await Self.plannedSend(store, "dan@example.com", offset: 20)
        #expect(try await store.claimDue(now: Self.t0, limit: 2).map(\.id) == [ann.id, bob.id])
        let next = Self.newSend(annEnrollment, step: "day-3", number: 2, offset: 15)
        let claimed = try await store.recordAll(
            [
                SendRecord(
                    sendID: ann.id, update: SendUpdate(state: .sent, attempted: true, code: 250, reply: "ok"),
                    log: Self.logLine(ann, .sent, at: 12, code: 250), next: next),
                SendRecord(
                    sendID: bob.id, update: SendUpdate(state: .deferred, nextAttemptAt: Self.at(600), attempted: true),
                    log: Self.logLine(bob, .deferred, at: 12)),
            ], at: Self.at(16), claiming: 5, dueBy: Self.at(16))
        // Records first, then the claim: the step planned by the first record (due at 15) is claimed too.
        #expect(claimed.map(\.step) == ["day-1", "day-3"])
        #expect(claimed.map(\.leadEmail.description) == ["cid@example.com", "ann@example.com"])
        #expect(claimed.allSatisfy { $0.state == .inFlight })
        #expect(try await store.send(ann.id)?.state == .sent)
        #expect(try await store.send(ann.id)?.updatedAt == Self.at(16))
        #expect(try await store.send(bob.id)?.state == .deferred)
        #expect(try await store.send(bob.id)?.attempts == 1)
        #expect(try await store.send(cid.id)?.state == .inFlight)
        #expect(try await store.send(dan.id)?.state == .planned)
        #expect(try await store.log(SendLogFilter()).map(\.state) == [.sent, .deferred])
        // Nothing to record and nothing to claim changes nothing.
        #expect(try await store.recordAll([], at: Self.at(17), claiming: 0, dueBy: Self.at(17)).isEmpty)
        #expect(try await store.recordAll([], at: Self.at(17), claiming: 3, dueBy: Self.at(19)).isEmpty)
        // Claiming ahead: a row due within `dueBy` is claimed before its due time, no later one.
        let ahead = try await store.recordAll([], at: Self.at(17), claiming: 3, dueBy: Self.at(20))
        #expect(ahead.map(\.id) == [dan.id])
        #expect(ahead.first?.updatedAt == Self.at(17))
        #expect(ahead.first?.nextAttemptAt == Self.at(20))
    }

    func recordAllIsAllOrNothing(_ store: any SendStore) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com", offset: 1)
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        var missing = Self.logLine(ann, .sent)
        missing.sendID = 9_999
        await #expect(throws: StoreError.self) {
            try await store.recordAll(
                [
                    SendRecord(
                        sendID: ann.id, update: SendUpdate(state: .sent, attempted: true),
                        log: Self.logLine(ann, .sent)),
                    SendRecord(sendID: 9_999, update: SendUpdate(state: .sent, attempted: true), log: missing),
                ], at: Self.at(2), claiming: 1, dueBy: Self.at(2))
        }
        #expect(try await store.send(ann.id)?.state == .inFlight)
        #expect(try await store.send(bob.id)?.state == .planned)
        #expect(try await store.log(SendLogFilter()).isEmpty)
    }

    func sentTimes(_ store: any SendStore) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@Other.Example")
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com")
        let (_, dan) = try await Self.plannedSend(store, "dan@example.com")
        try await attempt(store, ann, .sent, at: 10, sender: "news@acme.example")
        try await attempt(store, bob, .sent, at: 20, sender: "sam@acme.example")
        try await attempt(store, cid, .sent, at: 30, sender: "sam@acme.example")
        try await attempt(store, dan, .deferred, at: 40, sender: "sam@acme.example")
        #expect(try await store.sentTimes(RateQuery(since: Self.t0)) == [Self.at(10), Self.at(20), Self.at(30)])
        #expect(try await store.sentTimes(RateQuery(since: Self.at(20))) == [Self.at(20), Self.at(30)])
        #expect(
            try await store.sentTimes(RateQuery(since: Self.t0, sender: "sam@acme.example")) == [
                Self.at(20), Self.at(30),
            ])
        #expect(try await store.sentTimes(RateQuery(since: Self.t0, recipientDomain: "Other.Example")) == [Self.at(20)])
        // The same lines sentCount counts.
        let query = RateQuery(since: Self.at(15), recipientDomain: "example.com")
        #expect(try await store.sentTimes(query).count == store.sentCount(query))
    }

    func logKeepsAttemptStart(_ store: any SendStore) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        var line = Self.logLine(ann, .sent, at: 2, code: 250)
        line.startedAt = Self.at(1.5)
        try await store.record(
            ann.id, update: SendUpdate(state: .sent, attempted: true), log: line, next: nil, at: Self.at(2))
        let stored = try await store.log(SendLogFilter(leadEmail: ann.leadEmail))
        #expect(stored.map(\.startedAt) == [Self.at(1.5)])
        // A decision has no attempt, so no start.
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com")
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        try await store.record(
            bob.id, update: SendUpdate(state: .held, nextAttemptAt: Self.at(60), attempted: false, reason: "window"),
            log: Self.logLine(bob, .held, attempt: 0, sender: nil), next: nil, at: Self.at(3))
        #expect(try await store.log(SendLogFilter(leadEmail: bob.leadEmail)).map(\.startedAt) == [nil])
    }
}

extension StoreContract {
    func sendContextReadsAllThree(_ store: any SendStore) async throws {
        let (enrollment, send) = try await Self.plannedSend(store, "ann@example.com")
        let key = Self.keying.suppressionKey(for: send.leadEmail)
        var context = try await store.sendContext(lead: send.leadEmail, enrollment: enrollment.id, suppressionKey: key)
        #expect(context.lead?.email == send.leadEmail)
        #expect(context.enrollment == enrollment)
        #expect(context.isSuppressed == false)
        try await store.suppress(key, reason: "unsubscribed", at: Self.at(1))
        try await store.endEnrollment(enrollment.id, reason: .unsubscribed, at: Self.at(1))
        context = try await store.sendContext(
            lead: try Self.address("ANN@example.com"), enrollment: enrollment.id,
            suppressionKey: SuppressionKey(
                written: key.written.uppercased(), accepted: key.accepted.map { $0.uppercased() }))
        #expect(context.lead?.email == send.leadEmail, "addresses match whatever their case")
        #expect(context.enrollment?.endReason == .unsubscribed)
        #expect(context.isSuppressed)
        let none = try await store.sendContext(
            lead: try Self.address("nobody@example.com"), enrollment: 9_999,
            suppressionKey: SuppressionKey(written: "00", accepted: ["00"]))
        #expect(none == SendContext(lead: nil, enrollment: nil, isSuppressed: false))
    }
}
