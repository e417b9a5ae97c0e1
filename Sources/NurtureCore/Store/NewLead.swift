package import Foundation

/// A lead to create in bulk (``SendStore/createLeads(_:cursor:keying:at:)``), with everything creating it writes.
package struct NewLead: Sendable, Hashable {
    package var lead: Lead
    /// Audit entries appended in order, before the enrollment's `enrolled` entry.
    package var audit: [LeadAuditEntry]
    /// `unsubscribed` or `bounced` to put the address on the suppression list.
    package var suppression: String?
    /// The sequence to enroll the lead in, or `nil` for none.
    package var sequence: String?

    /// Makes a lead to create.
    package init(lead: Lead, audit: [LeadAuditEntry] = [], suppression: String? = nil, sequence: String? = nil) {
        self.lead = lead
        self.audit = audit
        self.suppression = suppression
        self.sequence = sequence
    }
}

extension LeadAuditEntry {
    /// The `enrolled` entry written when `email` enters `sequence` as enrollment `enrollmentID`.
    package static func enrolled(_ email: EmailAddress, in sequence: String, enrollmentID: Int64, at: Date) -> Self {
        LeadAuditEntry(
            at: at, leadEmail: email, kind: "enrolled", detail: "enrolled in \(sequence) (enrollment \(enrollmentID))")
    }
}
