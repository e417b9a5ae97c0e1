/// What the store and the scheduler's memory say about one claimed send, gathered before ``SendGate`` decides.
package struct SendFacts: Sendable {
    /// The claimed ledger row.
    package var row: PlannedSend
    /// The lead, `nil` when it no longer exists.
    package var lead: Lead?
    /// The row's enrollment, `nil` when it does not exist.
    package var enrollment: EnrollmentRecord?
    /// Whether the lead's address is on the suppression list.
    package var isSuppressed: Bool
    /// What the limits and pauses count; read only for a send that passes the first rungs (see
    /// ``SendGate/screen(_:policy:now:)``).
    package var history: SendHistory

    /// Makes facts.
    package init(
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
