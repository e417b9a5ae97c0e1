import Foundation
import NurtureCore
import Testing

extension StoreContract {
    func planAllIsPlanPerRow(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let bob = try Self.address("bob@example.com")
        let active = try await store.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        let ended = try await store.enroll(bob, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        try await store.endEnrollment(ended.id, reason: .replied, at: Self.at(1))
        let existing = try await store.plan(Self.newSend(active, step: "day-1", offset: 10), at: Self.t0)
        var again = Self.newSend(active, step: "day-1", offset: 99)
        again.messageID = "<other@nurture.example>"
        let rows = try await store.planAll(
            [again, Self.newSend(active, step: "day-2", number: 2, offset: 20), Self.newSend(ended, step: "day-1")],
            at: Self.at(2))
        #expect(rows.count == 3)
        #expect(rows[0] == existing, "planning the same step again returns the row unchanged")
        #expect(rows[1].state == .planned && rows[1].step == "day-2" && rows[1].createdAt == Self.at(2))
        #expect(rows[2].state == .cancelled, "a step planned for an ended enrollment is stored cancelled")
        #expect(try await store.sends(for: ann).map(\.step) == ["day-1", "day-2"])
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).isEmpty)
        #expect(try await store.planAll([], at: Self.at(3)).isEmpty)
        var missing = Self.newSend(active, step: "day-3", number: 3)
        missing.enrollmentID = 987_654
        await #expect(throws: StoreError.self) {
            try await store.planAll([Self.newSend(active, step: "day-3"), missing], at: Self.at(4))
        }
        #expect(try await store.sends(for: ann).count == 2, "a failed batch plans nothing")
    }

    func sendsForEnrollments(_ store: any SendStore) async throws {
        let (first, one) = try await Self.plannedSend(store, "ann@example.com", sequence: "welcome", step: "day-1")
        let two = try await store.plan(Self.newSend(first, step: "day-2", number: 2), at: Self.t0)
        let second = try await store.enroll(first.leadEmail, in: "sales", at: Self.at(5), endingOthers: .stageChanged)
        let three = try await store.plan(Self.newSend(second, step: "intro"), at: Self.at(5))
        let (_, other) = try await Self.plannedSend(store, "bob@example.com")
        #expect(try await store.sends(forEnrollments: [second.id, first.id]).map(\.id) == [one.id, two.id, three.id])
        #expect(try await store.sends(forEnrollments: [other.enrollmentID]).map(\.id) == [other.id])
        #expect(try await store.sends(forEnrollments: [987_654]).isEmpty)
        #expect(try await store.sends(forEnrollments: []).isEmpty)
    }
}
