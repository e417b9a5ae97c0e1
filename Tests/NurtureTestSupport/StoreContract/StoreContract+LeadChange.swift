import Foundation
import NurtureCore
import Testing

extension StoreContract {
    /// ``SendStore/applyLeadChange(_:at:)`` writes the lead, its audit, the suppression, the cursor, the end of its
    /// enrollment (sends cancelled) and the new one, in that order.
    func leadChangeWritesEverything(_ store: any SendStore) async throws {
        let (welcome, send) = try await Self.plannedSend(store, "ann@example.com", sequence: "welcome")
        var lead = Lead(email: try Self.address("ann@example.com"), stage: .salesQualified, owner: "priya")
        lead.isUnsubscribed = true
        let stage = LeadAuditEntry(at: Self.at(5), leadEmail: lead.email, kind: "stage-changed", detail: "stage")
        let owner = LeadAuditEntry(at: Self.at(5), leadEmail: lead.email, kind: "owner-changed", detail: "owner")
        var cursor = RoundRobinCursor()
        cursor.scores["priya"] = 3
        let key = Self.keying.suppressionKey(for: lead.email)
        let outcome = try await store.applyLeadChange(
            LeadChange(
                lead: lead, audit: [stage, owner],
                suppression: LeadChange.SuppressionEntry(key: key, reason: "unsubscribed"), cursor: cursor,
                endEnrollment: LeadChange.EnrollmentEnd(id: welcome.id, sequence: "welcome", reason: .stageChanged),
                enroll: "sales"),
            at: Self.at(5))
        #expect(outcome.created == false)
        #expect(outcome.cancelledSends == 1)
        let sales = try #require(outcome.enrollment)
        #expect(sales.sequence == "sales" && sales.isActive)
        #expect(try await store.lead(lead.email) == lead)
        #expect(try await store.send(send.id)?.state == .cancelled)
        #expect(try await store.enrollment(welcome.id)?.endReason == .stageChanged)
        #expect(try await store.suppressionReason(key) == "unsubscribed")
        #expect(try await store.roundRobinCursor() == cursor)
        let ended = LeadAuditEntry.enrollmentEnded(
            lead.email, sequence: "welcome", reason: .stageChanged, cancelled: 1, at: Self.at(5))
        let enrolled = LeadAuditEntry.enrolled(lead.email, in: "sales", enrollmentID: sales.id, at: Self.at(5))
        #expect(try await store.audit(for: lead.email) == [stage, owner, ended, enrolled])
    }

    /// A lead change that cannot be applied whole stores nothing of it.
    func leadChangeIsAllOrNothing(_ store: any SendStore) async throws {
        let bob = Lead(email: try Self.address("bob@example.com"))
        let error = await #expect(throws: StoreError.self) {
            try await store.applyLeadChange(
                LeadChange(
                    lead: bob, audit: [LeadAuditEntry(at: Self.t0, leadEmail: bob.email, kind: "api", detail: "x")],
                    endEnrollment: LeadChange.EnrollmentEnd(id: 987_654, sequence: "welcome", reason: .replied)),
                at: Self.t0)
        }
        #expect(error?.code == .notFound)
        #expect(try await store.lead(bob.email) == nil)
        #expect(try await store.audit(for: bob.email).isEmpty)
        let created = try await store.applyLeadChange(LeadChange(lead: bob), at: Self.at(1))
        #expect(created == LeadChange.Outcome(created: true, cancelledSends: 0, enrollment: nil))
    }
}
