/// What applying one ``LeadEvent`` changes: the lead, the enrollment that ends, the one that starts.
package struct Transition: Sendable, Hashable {
    /// The lead after the event (stage, qualification, owner, unsubscribe and bounce flags).
    package var lead: Lead
    /// The enrollment that ends, and why; `nil` when it continues or there was none.
    package var ended: EnrollmentExit?
    /// The id of the sequence the lead enters now, or `nil` for none.
    package var started: String?
    /// The salesperson assigned by round-robin during this transition, if any.
    package var assignedOwner: String?
    /// Set when the started sequence cannot send yet (e.g. a sales sequence and no owner).
    package var hold: HoldReason?
    /// The round-robin state to persist after this transition.
    package var cursor: RoundRobinCursor

    /// Makes a transition.
    package init(
        lead: Lead, ended: EnrollmentExit? = nil, started: String? = nil, assignedOwner: String? = nil,
        hold: HoldReason? = nil, cursor: RoundRobinCursor
    ) {
        self.lead = lead
        self.ended = ended
        self.started = started
        self.assignedOwner = assignedOwner
        self.hold = hold
        self.cursor = cursor
    }
}
