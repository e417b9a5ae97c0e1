import Foundation
import NurtureCore
import Testing

/// ``SendStore/apply(_:at:)``: one lead change is one transaction.
extension StoreContract {
    func leadChangeWritesEveryStep(_ store: any SendStore) async throws {
        let email = try Self.address("lc@example.com")
        try await store.saveLead(Lead(email: email, stage: .lead), at: Self.t0)
        let old = try await store.enroll(email, in: "nurture", at: Self.t0, endingOthers: .stageChanged)
        _ = try await store.plan(
            NewPlannedSend(
                enrollmentID: old.id, leadEmail: email, sequence: "nurture", step: "s1", stepNumber: 1,
                track: .marketing, dueAt: Self.at(3_600), nextAttemptAt: Self.at(3_600),
                messageID: "<lc-1@example.com>"),
            at: Self.t0)
        let cursor = RoundRobinCursor(scores: ["sam": 1])
        let lead = Lead(email: email, stage: .salesQualified, owner: "sam")
        let at = Self.at(60)
        let change = LeadChange(
            lead: lead, cursor: cursor, suppressionKey: Self.keying.suppressionKey(for: email),
            steps: [
                .audit(LeadAuditEntry(at: at, leadEmail: email, kind: "stage-changed", detail: "lead → sq")),
                .end(enrollment: old.id, sequence: "nurture", reason: .stageChanged),
                .enroll(sequence: "sales"),
                .end(enrollment: nil, sequence: "sales", reason: .unsubscribed),
                .suppress(reason: "unsubscribed"),
            ])
        let result = try await store.apply(change, at: at)
        #expect(result.created == false)
        #expect(result.cancelled == [1, 0])
        #expect(result.enrolled.count == 1)
        #expect(try await store.lead(email) == lead)
        #expect(try await store.roundRobinCursor() == cursor)
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: email)))
        let enrollments = try await store.enrollments(for: email)
        #expect(enrollments.map(\.sequence) == ["nurture", "sales"])
        #expect(enrollments.map(\.endReason) == [.stageChanged, .unsubscribed])
        #expect(try await store.sends(for: email).map(\.state) == [.cancelled])
        let audit = try await store.audit(for: email).map(\.kind)
        #expect(audit == ["stage-changed", "enrollment-ended", "enrolled", "enrollment-ended"])
        let new = try Self.address("new-lc@example.com")
        let created = try await store.apply(
            LeadChange(lead: Lead(email: new), suppressionKey: Self.keying.suppressionKey(for: new)), at: at)
        #expect(created.created)
        #expect(try await store.lead(new) == Lead(email: new))
    }

    func leadChangeFailurePartWayWritesNothing(_ store: any SendStore) async throws {
        let email = try Self.address("half@example.com")
        let before = Lead(email: email, stage: .lead)
        try await store.saveLead(before, at: Self.t0)
        let active = try await store.enroll(email, in: "nurture", at: Self.t0, endingOthers: .stageChanged)
        let cursorBefore = try await store.roundRobinCursor()
        let cursor = RoundRobinCursor(scores: ["sam": 7])
        let at = Self.at(60)
        // Every step before the last is valid; the last ends an enrollment that does not exist.
        let change = LeadChange(
            lead: Lead(email: email, stage: .customer, owner: "sam"), cursor: cursor,
            suppressionKey: Self.keying.suppressionKey(for: email),
            steps: [
                .audit(LeadAuditEntry(at: at, leadEmail: email, kind: "stage-changed", detail: "lead → customer")),
                .suppress(reason: "bounced"),
                .end(enrollment: active.id, sequence: "nurture", reason: .stageChanged),
                .enroll(sequence: "sales"),
                .end(enrollment: 999_999, sequence: "ghost", reason: .stageChanged),
            ])
        await #expect(throws: StoreError.self) { try await store.apply(change, at: at) }
        #expect(try await store.lead(email) == before)
        #expect(try await store.audit(for: email).isEmpty)
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: email)) == false)
        #expect(try await store.enrollments(for: email) == [active])
        #expect(try await store.roundRobinCursor() == cursorBefore)
    }
}
