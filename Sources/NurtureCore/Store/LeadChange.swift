package import Foundation

/// Everything one change of a lead writes, decided beforehand (``LeadChanges``) and written by
/// ``SendStore/apply(_:at:)`` in one transaction: the lead as it ends up, the round-robin cursor, and the
/// ordered steps (audit lines, suppression, enrollments ended and started). When the write fails part-way,
/// nothing of it is written.
package struct LeadChange: Sendable, Hashable {
    /// One write, in the order the change makes them.
    package enum Step: Sendable, Hashable {
        /// Appends an audit line.
        case audit(LeadAuditEntry)
        /// Puts the lead's address on the suppression list (`unsubscribed`, `bounced`) under ``suppressionKey``.
        case suppress(reason: String)
        /// Ends an enrollment and cancels its waiting sends, with an `enrollment-ended` audit line
        /// (``endedDetail(sequence:reason:cancelled:)``). `enrollment` is the stored id, or `nil` for the one
        /// an earlier ``enroll(sequence:)`` step of this change started.
        case end(enrollment: Int64?, sequence: String, reason: EnrollmentEndReason)
        /// Starts an enrollment in `sequence` (ending any active one as `stageChanged`), with its `enrolled`
        /// audit line (``LeadAuditEntry/enrolled(_:in:enrollmentID:at:)``).
        case enroll(sequence: String)
        /// Pauses an active enrollment until `until` (out-of-office): its waiting sends are held until then and
        /// resume by themselves, with a `paused` audit line. A reply or any end still ends it.
        case pause(enrollment: Int64, until: Date)
        /// Records the incoming message that caused this change (``InboundRecord``), in the same transaction. A
        /// message already recorded makes the whole change fail with a `constraint` error: it was acted on.
        case inbound(InboundRecord)
    }

    /// One line for the operator; an ended enrollment's line needs the count of sends the write cancelled.
    package enum Note: Sendable, Hashable {
        case text(String)
        case ended(sequence: String, reason: EnrollmentEndReason)
    }

    /// The lead as the change leaves it (saved first, created when it is new).
    package var lead: Lead
    /// The round-robin position to save, when an owner was assigned.
    package var cursor: RoundRobinCursor?
    /// The key the address is suppressed under (``Step/suppress(reason:)``).
    package var suppressionKey: SuppressionKey
    /// The writes after saving the lead, in order.
    package var steps: [Step]
    /// What the change did, in words (not written; ``notes(cancelled:)`` completes them after the write).
    package var notes: [Note]

    /// Makes a change.
    package init(
        lead: Lead, cursor: RoundRobinCursor? = nil, suppressionKey: SuppressionKey, steps: [Step] = [],
        notes: [Note] = []
    ) {
        self.lead = lead
        self.cursor = cursor
        self.suppressionKey = suppressionKey
        self.steps = steps
        self.notes = notes
    }

    /// The detail of the audit line of an ended enrollment.
    package static func endedDetail(sequence: String, reason: EnrollmentEndReason, cancelled: Int) -> String {
        "ended \(sequence) (\(reason)); \(cancelled) waiting send(s) cancelled"
    }

    /// The notes in words, given how many sends each ``Step/end(enrollment:sequence:reason:)`` cancelled, in
    /// order (``LeadChangeResult/cancelled``).
    package func notes(cancelled: [Int]) -> [String] {
        var counts = cancelled.makeIterator()
        return notes.map { note in
            switch note {
            case .text(let text): text
            case .ended(let sequence, let reason):
                Self.endedDetail(sequence: sequence, reason: reason, cancelled: counts.next() ?? 0)
            }
        }
    }
}

/// What ``SendStore/apply(_:at:)`` wrote.
package struct LeadChangeResult: Sendable, Hashable {
    /// Whether the lead was new.
    package var created: Bool
    /// How many waiting sends each ended enrollment had cancelled, in the order of the steps.
    package var cancelled: [Int]
    /// The ids of the enrollments started, in the order of the steps.
    package var enrolled: [Int64]

    /// Makes a result.
    package init(created: Bool, cancelled: [Int] = [], enrolled: [Int64] = []) {
        self.created = created
        self.cancelled = cancelled
        self.enrolled = enrolled
    }
}
