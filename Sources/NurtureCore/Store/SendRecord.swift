/// One row's outcome for ``SendStore/recordAll(_:at:claiming:dueBy:)`` (and ``SendStore/record(_:update:log:next:at:)``).
public struct SendRecord: Sendable, Hashable {
    /// The ledger row that finished an attempt or a decision.
    public var sendID: Int64
    /// How the row changes.
    public var update: SendUpdate
    /// Its send-log line (`sendID` is set by the store).
    public var log: SendLogEntry
    /// The enrollment's next step, planned in the same transaction, if any.
    public var next: NewPlannedSend?

    public init(sendID: Int64, update: SendUpdate, log: SendLogEntry, next: NewPlannedSend? = nil) {
        self.sendID = sendID
        self.update = update
        self.log = log
        self.next = next
    }
}

/// One lead to enroll with ``SendStore/enrollAll(_:at:endingOthers:)``.
public struct EnrollmentRequest: Sendable, Hashable {
    /// The lead's address (the lead must exist).
    public var email: EmailAddress
    /// The sequence id.
    public var sequence: String

    public init(email: EmailAddress, sequence: String) {
        self.email = email
        self.sequence = sequence
    }
}

/// The answer of ``SendStore/sendContext(lead:enrollment:suppressionKey:)``.
public struct SendContext: Sendable, Hashable {
    /// The lead, or `nil` when it no longer exists.
    public var lead: Lead?
    /// The enrollment, or `nil` when it does not exist.
    public var enrollment: EnrollmentRecord?
    /// Whether the address is on the suppression list.
    public var isSuppressed: Bool

    public init(lead: Lead?, enrollment: EnrollmentRecord?, isSuppressed: Bool) {
        self.lead = lead
        self.enrollment = enrollment
        self.isSuppressed = isSuppressed
    }
}
