import Foundation
import NurtureCore
import Testing

@Suite("Unsuppression")
struct UnsuppressionTests {
    let now = Date(timeIntervalSince1970: 1_748_941_200)
    let email = try! EmailAddress("ada@example.com")
    let sequence = EmailSequence(
        id: "nurture", name: "Nurture", track: .marketing,
        steps: ["welcome", "tips", "offer"].map { SequenceStep(id: $0, delay: .seconds(86_400)) }, window: SendWindow())

    func lead(bounced: Bool = true, unsubscribed: Bool = false) -> Lead {
        var lead = Lead(email: email, stage: .subscriber, source: .inbound)
        lead.hasBounced = bounced
        lead.isUnsubscribed = unsubscribed
        return lead
    }

    func enrollment(ended: EnrollmentEndReason?) -> EnrollmentRecord {
        EnrollmentRecord(
            id: 7, leadEmail: email, sequence: "nurture", startedAt: now, endedAt: ended.map { _ in now },
            endReason: ended)
    }

    func send(_ id: Int64, _ step: String, _ number: Int, _ state: SendState) -> PlannedSend {
        PlannedSend(
            id: id, enrollmentID: 7, leadEmail: email, sequence: "nurture", step: step, stepNumber: number,
            track: .marketing, dueAt: now, nextAttemptAt: now, state: state, attempts: 1, messageID: "<\(id)@x>",
            createdAt: now, updatedAt: now)
    }

    func decide(
        lead: Lead?, reason: String? = "bounced", enrollments: [EnrollmentRecord], sends: [PlannedSend] = []
    ) -> Result<Unsuppression, Unsuppression.Refusal> {
        Unsuppression.decide(
            email: email, lead: lead, suppressionReason: reason,
            suppressionKey: SuppressionKey(written: "h", accepted: ["h"]), enrollments: enrollments,
            sends: sends, sequences: [sequence], actor: "cli", now: now)
    }

    @Test("the send the bounce failed is planned again: the sequence resumes at that step, not at step 1")
    func revivesTheStoppedSend() throws {
        let change = try decide(
            lead: lead(), enrollments: [enrollment(ended: .bounced)],
            sends: [send(1, "welcome", 1, .sent), send(2, "tips", 2, .failed)]
        ).get()
        #expect(change.reopenEnrollment == 7)
        #expect(change.reviveSend == 2)
        #expect(!change.lead.hasBounced)
        #expect(change.audit.map(\.kind) == ["unsuppressed", "enrollment-resumed"])
        #expect(change.audit[0].detail.contains("cli unsuppressed ada@example.com"))
    }

    @Test("when the bounce came after a send was made, the step after it follows")
    func resumesAfterTheLastSent() throws {
        let change = try decide(
            lead: lead(), enrollments: [enrollment(ended: .bounced)],
            sends: [send(1, "welcome", 1, .sent), send(2, "tips", 2, .sent)]
        ).get()
        #expect(change.reopenEnrollment == 7)
        #expect(change.reviveSend == nil)
        #expect(change.notes.contains("resumed `nurture` after step `tips`"))
    }

    @Test("refused: no lead, not suppressed, unsubscribed, suppressed for another reason")
    func refusals() {
        #expect(decide(lead: nil, enrollments: []) == .failure(.noLead(email)))
        #expect(decide(lead: lead(bounced: false), reason: nil, enrollments: []) == .failure(.notSuppressed(email)))
        #expect(decide(lead: lead(unsubscribed: true), enrollments: []) == .failure(.unsubscribed(email)))
        #expect(
            decide(lead: lead(bounced: false), reason: "unsubscribed", enrollments: [])
                == .failure(.unsubscribed(email)))
        #expect(
            decide(lead: lead(bounced: false), reason: "complaint", enrollments: [])
                == .failure(.otherReason(email, reason: "complaint")))
        let text = Unsuppression.Refusal.unsubscribed(email).description
        #expect(text.contains("ada@example.com unsubscribed") && text.contains("lead's own choice"))
    }

    @Test("an enrollment not ended by the bounce is left alone")
    func otherEnrollmentEnd() throws {
        let change = try decide(lead: lead(), enrollments: [enrollment(ended: .completed)]).get()
        #expect(change.reopenEnrollment == nil && change.reviveSend == nil)
    }
}
