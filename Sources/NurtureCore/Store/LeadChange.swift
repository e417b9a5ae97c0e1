public import Foundation

/// Everything one change to a lead writes — the lead, its audit lines, a suppression, the round-robin cursor, the
/// end of its enrollment and a new one — applied in one transaction by ``SendStore/applyLeadChange(_:at:)``, so a
/// crash or a failing disk never leaves a stage changed without its enrollment, or an owner without its cursor.
public struct LeadChange: Sendable, Hashable {
    /// The lead as it is after the change (inserted, or replacing the stored one with the same address).
    public var lead: Lead
    /// Audit lines appended in order, before the lines of the enrollment's end and start.
    public var audit: [LeadAuditEntry]
    /// The address to put on the suppression list, if the change suppresses it.
    public var suppression: SuppressionEntry?
    /// The round-robin position to save, when the change assigned an owner.
    public var cursor: RoundRobinCursor?
    /// The enrollment to end, with its waiting sends cancelled and an ``LeadAuditEntry/enrollmentEnded(_:sequence:reason:cancelled:at:)`` line.
    public var endEnrollment: EnrollmentEnd?
    /// The sequence to enroll the lead in (any active enrollment is ended with `stageChanged`), with an
    /// ``LeadAuditEntry/enrolled(_:in:enrollmentID:at:)`` line.
    public var enroll: String?

    public init(
        lead: Lead, audit: [LeadAuditEntry] = [], suppression: SuppressionEntry? = nil, cursor: RoundRobinCursor? = nil,
        endEnrollment: EnrollmentEnd? = nil, enroll: String? = nil
    ) {
        self.lead = lead
        self.audit = audit
        self.suppression = suppression
        self.cursor = cursor
        self.endEnrollment = endEnrollment
        self.enroll = enroll
    }

    /// An address to suppress and why (`unsubscribed`, `bounced`).
    public struct SuppressionEntry: Sendable, Hashable {
        public var key: SuppressionKey
        public var reason: String

        public init(key: SuppressionKey, reason: String) {
            self.key = key
            self.reason = reason
        }
    }

    /// An enrollment to end, and why.
    public struct EnrollmentEnd: Sendable, Hashable {
        public var id: Int64
        /// Its sequence, for the audit line.
        public var sequence: String
        public var reason: EnrollmentEndReason

        public init(id: Int64, sequence: String, reason: EnrollmentEndReason) {
            self.id = id
            self.sequence = sequence
            self.reason = reason
        }
    }

    /// What applying the change did.
    public struct Outcome: Sendable, Hashable {
        /// Whether the lead was new.
        public var created: Bool
        /// How many waiting sends ending the enrollment cancelled (0 when none was ended).
        public var cancelledSends: Int
        /// The enrollment started, if any.
        public var enrollment: EnrollmentRecord?

        public init(created: Bool, cancelledSends: Int, enrollment: EnrollmentRecord?) {
            self.created = created
            self.cancelledSends = cancelledSends
            self.enrollment = enrollment
        }
    }
}

extension LeadAuditEntry {
    /// The `enrollment-ended` line written when the lead's enrollment in `sequence` ends, cancelling `cancelled`
    /// waiting sends.
    public static func enrollmentEnded(
        _ email: EmailAddress, sequence: String, reason: EnrollmentEndReason, cancelled: Int, at: Date
    ) -> Self {
        LeadAuditEntry(
            at: at, leadEmail: email, kind: "enrollment-ended",
            detail: "ended \(sequence) (\(reason)); \(cancelled) waiting send(s) cancelled")
    }
}
