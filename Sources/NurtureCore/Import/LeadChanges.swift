package import Foundation

/// Decides the whole of one lead change as a ``LeadChange`` value, from facts read beforehand: the stored lead,
/// its active enrollment and the round-robin cursor. Pure: the ``StageMachine`` decides stages, owners and
/// enrollments; the store only writes the result (``SendStore/apply(_:at:)``), in one transaction.
package enum LeadChanges {
    /// The active enrollment a change starts from: its stored id and sequence.
    package struct Active: Sendable, Hashable {
        package var id: Int64
        package var sequence: String

        package init(id: Int64, sequence: String) {
            self.id = id
            self.sequence = sequence
        }
    }

    /// A lead that is not in the store: saved in its stage, auto-qualified and given an owner if the machine
    /// says so, suppressed when it comes unsubscribed or bounced, and enrolled (``LeadCreation``).
    package static func create(
        _ incoming: Lead, machine: StageMachine, cursor: RoundRobinCursor, keying: AddressKeying, at now: Date
    ) -> LeadChange {
        let creation = LeadCreation.decide(incoming, machine: machine, cursor: cursor, at: now)
        var steps = creation.audit.map(LeadChange.Step.audit)
        if let reason = creation.suppression { steps.append(.suppress(reason: reason)) }
        if let sequence = creation.transition.started { steps.append(.enroll(sequence: sequence)) }
        return LeadChange(
            lead: creation.transition.lead,
            cursor: creation.transition.assignedOwner != nil ? creation.transition.cursor : nil,
            suppressionKey: keying.suppressionKey(for: incoming.email), steps: steps,
            notes: creation.notes.map(LeadChange.Note.text))
    }

    /// `incoming` replaces the stored lead `existing`: names, company, title, time zone, source and attributes
    /// are taken as given; a new owner is recorded; qualification, stage, unsubscribe and bounce changes go
    /// through the stage machine as events, in that order.
    package static func update(
        _ incoming: Lead, existing: Lead, active: Active?, machine: StageMachine, cursor: RoundRobinCursor,
        keying: AddressKeying, at now: Date
    ) -> LeadChange {
        var builder = Builder(lead: existing, active: active, cursor: cursor, machine: machine, now: now)
        builder.lead.firstName = incoming.firstName
        builder.lead.lastName = incoming.lastName
        builder.lead.company = incoming.company
        builder.lead.title = incoming.title
        builder.lead.timeZone = incoming.timeZone
        builder.lead.source = incoming.source
        builder.lead.attributes = incoming.attributes
        if incoming.owner != existing.owner {
            builder.lead.owner = incoming.owner
            builder.note("owner \(existing.owner ?? "none") → \(incoming.owner ?? "none")", audit: "owner-changed")
        }
        var changes: [VBANTCriterion: CriterionStatus] = [:]
        for criterion in VBANTCriterion.allCases
        where incoming.qualification[criterion] != existing.qualification[criterion] {
            changes[criterion] = incoming.qualification[criterion]
        }
        var events: [LeadEvent] = []
        if !changes.isEmpty { events.append(.qualificationUpdated(changes)) }
        if incoming.stage != existing.stage { events.append(.stageChanged(to: incoming.stage)) }
        if incoming.isUnsubscribed, !existing.isUnsubscribed { events.append(.unsubscribed) }
        if incoming.hasBounced, !existing.hasBounced { events.append(.bounced) }
        for event in events { builder.apply(event) }
        if events.isEmpty, builder.notes.isEmpty { builder.notes.append(.text("updated")) }
        return builder.change(keying: keying)
    }

    /// One event (stage change, qualification, reply, unsubscribe, bounce, recycle) applied to the stored lead.
    package static func apply(
        _ event: LeadEvent, to lead: Lead, active: Active?, machine: StageMachine, cursor: RoundRobinCursor,
        keying: AddressKeying, at now: Date
    ) -> LeadChange {
        apply([event], to: lead, active: active, machine: machine, cursor: cursor, keying: keying, at: now)
    }

    /// Several events applied to the stored lead one after the other, as one change: each sees the lead, the
    /// active enrollment and the cursor the ones before it left (an incoming message's reply and unsubscribe).
    package static func apply(
        _ events: [LeadEvent], to lead: Lead, active: Active?, machine: StageMachine, cursor: RoundRobinCursor,
        keying: AddressKeying, at now: Date
    ) -> LeadChange {
        var builder = Builder(lead: lead, active: active, cursor: cursor, machine: machine, now: now)
        for event in events { builder.apply(event) }
        return builder.change(keying: keying)
    }

    /// Accumulates the writes of several events applied one after the other.
    private struct Builder {
        var lead: Lead
        /// The active enrollment: a stored one (with its id) or one this change starts (`id` nil).
        var active: (id: Int64?, sequence: String)?
        var cursor: RoundRobinCursor
        var assigned = false
        let machine: StageMachine
        let now: Date
        var steps: [LeadChange.Step] = []
        var notes: [LeadChange.Note] = []

        init(lead: Lead, active: Active?, cursor: RoundRobinCursor, machine: StageMachine, now: Date) {
            self.lead = lead
            self.active = active.map { ($0.id, $0.sequence) }
            self.cursor = cursor
            self.machine = machine
            self.now = now
        }

        mutating func audit(_ kind: String, _ detail: String) {
            steps.append(.audit(LeadAuditEntry(at: now, leadEmail: lead.email, kind: kind, detail: detail)))
        }

        mutating func note(_ text: String, audit kind: String) {
            notes.append(.text(text))
            audit(kind, text)
        }

        mutating func apply(_ event: LeadEvent) {
            let transition = machine.apply(
                event, to: lead, enrollment: active.map { Enrollment(sequence: $0.sequence) }, cursor: cursor)
            let before = lead
            if transition.lead.stage != before.stage {
                note("stage \(before.stage) → \(transition.lead.stage)", audit: "stage-changed")
            }
            if transition.lead.qualification != before.qualification {
                let vbant = VBANTCriterion.allCases.map { "\($0)=\(transition.lead.qualification[$0])" }
                audit("qualification", "VBANT " + vbant.joined(separator: " "))
            }
            for (reason, now, was) in [
                ("unsubscribed", transition.lead.isUnsubscribed, before.isUnsubscribed),
                ("bounced", transition.lead.hasBounced, before.hasBounced),
            ] where now && !was {
                steps.append(.suppress(reason: reason))
                notes.append(.text(reason))
                audit(reason, "no more mail to \(before.email)")
            }
            if case .replied = event { audit("replied", "the lead replied") }
            if let owner = transition.assignedOwner {
                cursor = transition.cursor
                assigned = true
                note("owner → \(owner) (round-robin)", audit: "owner-changed")
            }
            if let ended = transition.ended, let current = active {
                steps.append(.end(enrollment: current.id, sequence: current.sequence, reason: ended.reason))
                notes.append(.ended(sequence: current.sequence, reason: ended.reason))
                active = nil
            }
            if let sequence = transition.started {
                steps.append(.enroll(sequence: sequence))
                notes.append(.text("enrolled in \(sequence)"))
                active = (nil, sequence)
            }
            if let hold = transition.hold { notes.append(.text(hold.description)) }
            lead = transition.lead
        }

        func change(keying: AddressKeying) -> LeadChange {
            LeadChange(
                lead: lead, cursor: assigned ? cursor : nil, suppressionKey: keying.suppressionKey(for: lead.email),
                steps: steps, notes: notes)
        }
    }
}
