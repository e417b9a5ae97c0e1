/// One row's outcome for ``SendStore/recordAll(_:at:claiming:dueBy:)`` (and ``SendStore/record(_:update:log:next:at:)``).
package struct SendRecord: Sendable, Hashable {
    /// The ledger row that finished an attempt or a decision.
    package var sendID: Int64
    /// How the row changes.
    package var update: SendUpdate
    /// Its send-log line (`sendID` is set by the store).
    package var log: SendLogEntry
    /// The enrollment's next step, planned in the same transaction, if any.
    package var next: NewPlannedSend?

    package init(sendID: Int64, update: SendUpdate, log: SendLogEntry, next: NewPlannedSend? = nil) {
        self.sendID = sendID
        self.update = update
        self.log = log
        self.next = next
    }
}

/// One lead to enroll with ``SendStore/enrollAll(_:at:endingOthers:)``.
package struct EnrollmentRequest: Sendable, Hashable {
    /// The lead's address (the lead must exist).
    package var email: EmailAddress
    /// The sequence id.
    package var sequence: String

    package init(email: EmailAddress, sequence: String) {
        self.email = email
        self.sequence = sequence
    }
}

/// The answer of ``SendStore/sendContexts(_:)`` for one send.
package struct SendContext: Sendable, Hashable {
    /// Which send's facts to read: its lead, its enrollment and the key its address is suppressed under.
    package typealias Key = (lead: EmailAddress, enrollment: Int64, suppressionKey: SuppressionKey)

    /// The lead, or `nil` when it no longer exists.
    package var lead: Lead?
    /// The enrollment, or `nil` when it does not exist.
    package var enrollment: EnrollmentRecord?
    /// Whether the address is on the suppression list.
    package var isSuppressed: Bool

    package init(lead: Lead?, enrollment: EnrollmentRecord?, isSuppressed: Bool) {
        self.lead = lead
        self.enrollment = enrollment
        self.isSuppressed = isSuppressed
    }
}
