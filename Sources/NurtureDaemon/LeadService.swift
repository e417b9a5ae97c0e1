public import Foundation
public import NurtureConfig
public import NurtureCore

/// Changes leads the way operators and integrations ask (CLI, CSV import, later the HTTP API): saves the
/// lead, runs stage changes through the ``StageMachine`` (auto-qualification, recycling, round-robin owners),
/// ends and starts enrollments, suppresses unsubscribed and bounced addresses, and writes the audit trail.
/// A running daemon sees the result on its next pass (it polls the store), so no restart is needed.
public struct LeadService: Sendable {
    public let store: any SendStore
    public let configuration: NurtureConfiguration

    public init(store: any SendStore, configuration: NurtureConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// What a change did, in words an operator can check ("enrolled in marketing-nurture", ...).
    public struct Change: Sendable, Hashable {
        public var lead: Lead
        public var created: Bool
        public var notes: [String]
    }

    /// Creates the lead or updates the stored one with the same address. Stage, qualification and
    /// subscription changes go through the stage machine; other fields are saved as given.
    public func upsert(_ incoming: Lead, at now: Date) async throws(StoreError) -> Change {
        guard let existing = try await store.lead(incoming.email) else { return try await create(incoming, at: now) }
        var lead = existing
        var notes: [String] = []
        lead.firstName = incoming.firstName
        lead.lastName = incoming.lastName
        lead.company = incoming.company
        lead.title = incoming.title
        lead.timeZone = incoming.timeZone
        lead.source = incoming.source
        lead.attributes = incoming.attributes
        if incoming.owner != existing.owner {
            lead.owner = incoming.owner
            notes.append("owner \(existing.owner ?? "none") → \(incoming.owner ?? "none")")
            try await audit(lead, "owner-changed", notes.last!, at: now)
        }
        try await store.saveLead(lead, at: now)
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
        for event in events {
            let change = try await apply(event, to: lead.email, at: now)
            lead = change.lead
            notes += change.notes
        }
        if events.isEmpty, notes.isEmpty { notes.append("updated") }
        return Change(lead: lead, created: false, notes: notes)
    }

    /// Applies one event (stage change, qualification, reply, unsubscribe, bounce) to a stored lead.
    public func apply(_ event: LeadEvent, to email: EmailAddress, at now: Date) async throws(StoreError) -> Change {
        guard let lead = try await store.lead(email) else {
            throw StoreError(.notFound, "no lead \(email) in the store; add it first with `nurture leads add`")
        }
        let active = try await store.enrollments(for: email).last { $0.isActive }
        let cursor = try await store.roundRobinCursor()
        let transition = configuration.stageMachine.apply(
            event, to: lead, enrollment: active.map { Enrollment(sequence: $0.sequence) }, cursor: cursor)
        var notes: [String] = []
        try await store.saveLead(transition.lead, at: now)
        if transition.lead.stage != lead.stage {
            notes.append("stage \(lead.stage) → \(transition.lead.stage)")
            try await audit(lead, "stage-changed", notes.last!, at: now)
        }
        if transition.lead.qualification != lead.qualification {
            let vbant = VBANTCriterion.allCases.map { "\($0)=\(transition.lead.qualification[$0])" }
            try await audit(lead, "qualification", "VBANT " + vbant.joined(separator: " "), at: now)
        }
        if transition.lead.isUnsubscribed, !lead.isUnsubscribed {
            try await suppress(lead, "unsubscribed", at: now, notes: &notes)
        }
        if transition.lead.hasBounced, !lead.hasBounced { try await suppress(lead, "bounced", at: now, notes: &notes) }
        if case .replied = event { try await audit(lead, "replied", "the lead replied", at: now) }
        try await recordAssignment(transition, at: now, notes: &notes)
        if let ended = transition.ended, let active {
            let cancelled = try await store.endEnrollment(active.id, reason: ended.reason, at: now)
            notes.append("ended \(active.sequence) (\(ended.reason)); \(cancelled) waiting send(s) cancelled")
            try await audit(lead, "enrollment-ended", notes.last!, at: now)
        }
        if let sequence = transition.started {
            try await enroll(transition.lead, in: sequence, at: now, notes: &notes)
        }
        if let hold = transition.hold { notes.append(hold.description) }
        return Change(lead: transition.lead, created: false, notes: notes)
    }

    /// Undoes a wrong bounce of `email`, asked by `actor` (`cli`, `api token crm`): clears the bounced flag and
    /// the suppression-list entry, records it in the lead's audit, and resumes the sequence the bounce ended where
    /// it stopped (see ``Unsuppression``), all in one transaction. A running daemon sends the next step on its
    /// next pass.
    /// - Throws: ``UnsuppressError`` when there is no such lead, it is not suppressed, or it unsubscribed (the
    ///   lead's own choice, never undone by an operator).
    public func unsuppress(_ email: EmailAddress, by actor: String, at now: Date) async throws(UnsuppressError)
        -> Change
    {
        let key = configuration.addressKeying.suppressionKey(for: email)
        let decision: Result<Unsuppression, Unsuppression.Refusal>
        do {
            decision = Unsuppression.decide(
                email: email, lead: try await store.lead(email),
                suppressionReason: try await store.suppressionReason(key), suppressionKey: key,
                enrollments: try await store.enrollments(for: email), sends: try await store.sends(for: email),
                sequences: configuration.sequences, actor: actor, now: now)
        } catch {
            throw .store(error)
        }
        switch decision {
        case .failure(let refusal):
            throw .refused(refusal)
        case .success(let change):
            do {
                try await store.unsuppress(change, at: now)
            } catch {
                throw .store(error)
            }
            return Change(lead: change.lead, created: false, notes: change.notes)
        }
    }

    /// A new lead: saved in its stage, auto-qualified and given an owner if the configuration says so,
    /// and enrolled by the rule for its stage and source (``LeadCreation``, which `LeadImporter` applies too).
    private func create(_ incoming: Lead, at now: Date) async throws(StoreError) -> Change {
        let creation = LeadCreation.decide(
            incoming, machine: configuration.stageMachine, cursor: try await store.roundRobinCursor(), at: now)
        let lead = creation.transition.lead
        try await store.saveLead(lead, at: now)
        for entry in creation.audit { try await store.appendAudit(entry) }
        if creation.transition.assignedOwner != nil { try await store.saveRoundRobinCursor(creation.transition.cursor) }
        if let reason = creation.suppression {
            try await store.suppress(
                configuration.addressKeying.suppressionKey(for: incoming.email), reason: reason, at: now)
        }
        if let sequence = creation.transition.started {
            let record = try await store.enroll(lead.email, in: sequence, at: now, endingOthers: .stageChanged)
            try await store.appendAudit(.enrolled(lead.email, in: sequence, enrollmentID: record.id, at: now))
        }
        return Change(lead: lead, created: true, notes: creation.notes)
    }

    /// Saves the round-robin position and records the owner a transition assigned, if it assigned one.
    private func recordAssignment(_ transition: Transition, at now: Date, notes: inout [String])
        async throws(StoreError)
    {
        guard let assigned = transition.assignedOwner else { return }
        try await store.saveRoundRobinCursor(transition.cursor)
        notes.append("owner → \(assigned) (round-robin)")
        try await audit(transition.lead, "owner-changed", notes.last!, at: now)
    }

    /// Puts the lead's address on the suppression list (`reason`: unsubscribed or bounced) and records it.
    private func suppress(_ lead: Lead, _ reason: String, at now: Date, notes: inout [String]) async throws(StoreError)
    {
        try await store.suppress(configuration.addressKeying.suppressionKey(for: lead.email), reason: reason, at: now)
        notes.append(reason)
        try await audit(lead, reason, "no more mail to \(lead.email)", at: now)
    }

    private func enroll(_ lead: Lead, in sequence: String, at now: Date, notes: inout [String]) async throws(StoreError)
    {
        let record = try await store.enroll(lead.email, in: sequence, at: now, endingOthers: .stageChanged)
        notes.append("enrolled in \(sequence)")
        try await store.appendAudit(.enrolled(lead.email, in: sequence, enrollmentID: record.id, at: now))
    }

    private func audit(_ lead: Lead, _ kind: String, _ detail: String, at now: Date) async throws(StoreError) {
        try await store.appendAudit(LeadAuditEntry(at: now, leadEmail: lead.email, kind: kind, detail: detail))
    }
}

/// Why ``LeadService/unsuppress(_:by:at:)`` did nothing.
public enum UnsuppressError: Error, Sendable, CustomStringConvertible {
    /// The address cannot be unsuppressed (no lead, not suppressed, unsubscribed); says what to do.
    case refused(Unsuppression.Refusal)
    /// The store failed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .refused(let refusal): refusal.description
        case .store(let error): "\(error)"
        }
    }
}
