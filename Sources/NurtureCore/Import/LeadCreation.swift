package import Foundation

/// What adding a new lead does, decided without the store: the lead enters its stage through the
/// ``StageMachine`` (as if it came from another stage), so it gets exactly the owner assignment and
/// enrollment a stage change would give it; with auto-qualification a fully VBANT-qualified lead moves on to
/// `sales-qualified`; an unsubscribed or bounced lead's address is suppressed.
///
/// `LeadService` (one lead at a time) and `LeadImporter` (CSV import, thousands per transaction) both
/// apply it, so both create leads the same way. Pure: time and the round-robin cursor come in as values.
package struct LeadCreation: Sendable, Hashable {
    /// The lead to store, its sequence to start, the owner assigned and the cursor to save.
    package var transition: Transition
    /// The audit entries to append, in order, before the enrollment's own `enrolled` entry.
    package var audit: [LeadAuditEntry]
    /// `unsubscribed` or `bounced` when the address goes on the suppression list.
    package var suppression: String?
    /// What happened, in words an operator can check.
    package var notes: [String]

    /// Decides how `incoming`, which is not in the store, is created at `now`.
    package static func decide(
        _ incoming: Lead, machine: StageMachine, cursor: RoundRobinCursor, at now: Date
    ) -> LeadCreation {
        var before = incoming
        before.stage = incoming.stage == .subscriber ? .lead : .subscriber
        var transition = machine.apply(.stageChanged(to: incoming.stage), to: before, enrollment: nil, cursor: cursor)
        if machine.autoQualify, transition.lead.qualification.isFullyMet {
            let qualified = machine.apply(
                .qualificationUpdated([:]), to: transition.lead, enrollment: nil, cursor: transition.cursor)
            if qualified.lead.stage != transition.lead.stage { transition = qualified }
        }
        let lead = transition.lead
        var notes: [String] = []
        var audit = [
            LeadAuditEntry(
                at: now, leadEmail: lead.email, kind: "created", detail: "stage \(lead.stage), source \(lead.source)")
        ]
        if lead.stage != incoming.stage {
            notes.append("stage \(incoming.stage) → \(lead.stage) (all VBANT criteria met)")
            audit.append(LeadAuditEntry(at: now, leadEmail: lead.email, kind: "stage-changed", detail: notes.last!))
        }
        if let assigned = transition.assignedOwner {
            notes.append("owner → \(assigned) (round-robin)")
            audit.append(LeadAuditEntry(at: now, leadEmail: lead.email, kind: "owner-changed", detail: notes.last!))
        }
        let suppression = lead.isUnsubscribed ? "unsubscribed" : lead.hasBounced ? "bounced" : nil
        if let sequence = transition.started {
            notes.append("enrolled in \(sequence)")
        } else if lead.isContactable {
            notes.append("no enrollment rule for stage \(lead.stage) and source \(lead.source)")
        }
        if let hold = transition.hold { notes.append(hold.description) }
        return LeadCreation(transition: transition, audit: audit, suppression: suppression, notes: notes)
    }

    /// The store's view of this creation (``SendStore/createLeads(_:cursor:keying:at:)``).
    package var newLead: NewLead {
        NewLead(lead: transition.lead, audit: audit, suppression: suppression, sequence: transition.started)
    }
}
