package import Foundation

/// Undoing a wrong bounce: what `nurture leads unsuppress` (and the API's `unsuppress` event) changes, decided
/// from what the store holds. Pure: the lead, its suppression, enrollments and sends come in; the change (or why
/// it is refused) goes out, and the store applies the change in one transaction.
///
/// The lead's sequence resumes where the bounce stopped it: the enrollment that ended `bounced` is re-opened,
/// and its last send, when the bounce failed or cancelled it, is planned again (same step, same Message-ID,
/// due now; the send window and limits still apply). The step after it follows as usual. A send already
/// made is never repeated, and the sequence does not start again at step 1.
package struct Unsuppression: Sendable, Hashable {
    /// The lead as it will be saved: no longer bounced.
    package var lead: Lead
    /// The address's suppression key: every accepted form (keyed and legacy unkeyed) is removed from the list.
    package var suppressionKey: SuppressionKey
    /// The enrollment to re-open, if the bounce ended one.
    package var reopenEnrollment: Int64?
    /// The send to plan again at ``resumeAt``, if the bounce failed or cancelled it.
    package var reviveSend: Int64?
    /// When the revived send is due.
    package var resumeAt: Date
    /// The reason the revived send carries and the audit line's detail.
    package var detail: String
    /// Lines for the lead's audit trail.
    package var audit: [LeadAuditEntry]
    /// What happened, for the operator.
    package var notes: [String]

    /// Makes a change (``decide(email:lead:suppressionReason:suppressionKey:enrollments:sends:sequences:actor:now:)``
    /// is the way to get one).
    package init(
        lead: Lead, suppressionKey: SuppressionKey, reopenEnrollment: Int64?, reviveSend: Int64?, resumeAt: Date,
        detail: String,
        audit: [LeadAuditEntry], notes: [String]
    ) {
        self.lead = lead
        self.suppressionKey = suppressionKey
        self.reopenEnrollment = reopenEnrollment
        self.reviveSend = reviveSend
        self.resumeAt = resumeAt
        self.detail = detail
        self.audit = audit
        self.notes = notes
    }

    /// Why an address cannot be unsuppressed; each says what to do.
    package enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case noLead(EmailAddress)
        case notSuppressed(EmailAddress)
        case unsubscribed(EmailAddress)
        case otherReason(EmailAddress, reason: String)

        package var description: String {
            switch self {
            case .noLead(let email):
                "no lead \(email) in the store; check the address (`nurture leads show \(email)`)"
            case .notSuppressed(let email):
                "\(email) is not suppressed (not bounced, not on the suppression list): nothing to undo;"
                    + " `nurture why \(email)` says why it gets no mail"
            case .unsubscribed(let email):
                "\(email) unsubscribed: that is the lead's own choice and is not undone by an operator;"
                    + " the lead can subscribe again through your sign-up form"
            case .otherReason(let email, let reason):
                "\(email) is on the suppression list as `\(reason)`, not as a bounce; only a bounce can be undone"
            }
        }
    }

    /// Decides how to unsuppress `email`.
    /// - Parameters:
    ///   - lead: the stored lead, `nil` when there is none.
    ///   - suppressionReason: the reason the address is on the suppression list, `nil` when it is not.
    ///   - enrollments: the lead's enrollments, oldest first.
    ///   - sends: the lead's sends.
    ///   - sequences: the configured sequences (a removed sequence or step is not resumed).
    ///   - actor: who asks, for the audit: `cli`, `api token crm`.
    package static func decide(
        email: EmailAddress, lead: Lead?, suppressionReason: String?, suppressionKey: SuppressionKey,
        enrollments: [EnrollmentRecord], sends: [PlannedSend], sequences: [EmailSequence], actor: String, now: Date
    ) -> Result<Unsuppression, Refusal> {
        guard let lead else { return .failure(.noLead(email)) }
        if lead.isUnsubscribed || suppressionReason == "unsubscribed" { return .failure(.unsubscribed(lead.email)) }
        if let suppressionReason, suppressionReason != "bounced" {
            return .failure(.otherReason(lead.email, reason: suppressionReason))
        }
        guard lead.hasBounced || suppressionReason != nil else { return .failure(.notSuppressed(lead.email)) }

        var unbounced = lead
        unbounced.hasBounced = false
        let detail = "\(actor) unsuppressed \(lead.email): the bounce is undone, mail may go to it again"
        var change = Unsuppression(
            lead: unbounced, suppressionKey: suppressionKey, reopenEnrollment: nil, reviveSend: nil, resumeAt: now,
            detail: detail,
            audit: [LeadAuditEntry(at: now, leadEmail: lead.email, kind: "unsuppressed", detail: detail)],
            notes: ["unsuppressed (by \(actor))"])
        guard !enrollments.contains(where: \.isActive), let last = enrollments.last, last.endReason == .bounced else {
            change.notes.append("no enrollment was ended by the bounce; the lead's stage decides what comes next")
            return .success(change)
        }
        guard let sequence = sequences.first(where: { $0.id == last.sequence }) else {
            change.notes.append("sequence `\(last.sequence)` is no longer configured; nothing to resume")
            return .success(change)
        }
        change.reopenEnrollment = last.id
        let stopped = sends.filter { $0.enrollmentID == last.id }.max { $0.stepNumber < $1.stepNumber }
        let resumed: String
        if let stopped, stopped.state == .failed || stopped.state == .cancelled,
            sequence.step(id: stopped.step) != nil
        {
            change.reviveSend = stopped.id
            resumed = "resumed `\(sequence.id)` at step `\(stopped.step)` (the send the bounce stopped), due now"
        } else if let stopped {
            resumed = "resumed `\(sequence.id)` after step `\(stopped.step)`"
        } else {
            resumed = "resumed `\(sequence.id)` from its first step"
        }
        change.notes.append(resumed)
        change.audit.append(
            LeadAuditEntry(at: now, leadEmail: lead.email, kind: "enrollment-resumed", detail: resumed))
        return .success(change)
    }
}
