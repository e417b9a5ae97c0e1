/// What the store and the scheduler's memory say about one claimed send, gathered before ``SendGate`` decides.
public struct SendFacts: Sendable {
    /// The claimed ledger row.
    public var row: PlannedSend
    /// The lead, `nil` when it no longer exists.
    public var lead: Lead?
    /// The row's enrollment, `nil` when it does not exist.
    public var enrollment: EnrollmentRecord?
    /// Whether the lead's address is on the suppression list.
    public var isSuppressed: Bool
    /// What the limits and pauses count; read only for a send that passes the first rungs (see
    /// ``SendGate/screen(_:policy:now:)``).
    public var history: SendHistory

    /// Makes facts.
    public init(
        row: PlannedSend, lead: Lead?, enrollment: EnrollmentRecord?, isSuppressed: Bool,
        history: SendHistory = SendHistory()
    ) {
        self.row = row
        self.lead = lead
        self.enrollment = enrollment
        self.isSuppressed = isSuppressed
        self.history = history
    }
}
