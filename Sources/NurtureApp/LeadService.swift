package import Foundation
package import NurtureConfig
package import NurtureCore

/// Changes leads the way operators and integrations ask (CLI, CSV import, the HTTP API, the daemon's bounce
/// handling): reads the lead, its active enrollment and the round-robin cursor, decides the whole change with
/// ``LeadChanges`` (the ``StageMachine``: auto-qualification, recycling, round-robin owners; enrollments ended
/// and started; suppression of unsubscribed and bounced addresses; the audit trail), and hands it to the store
/// as one ``LeadChange``, written in one transaction. A running daemon sees the result on its next pass (it
/// polls the store), so no restart is needed.
package struct LeadService: Sendable {
    package let store: any SendStore
    package let configuration: NurtureConfiguration

    package init(store: any SendStore, configuration: NurtureConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// What a change did, in words an operator can check ("enrolled in marketing-nurture", ...).
    package struct Change: Sendable, Hashable {
        package var lead: Lead
        package var created: Bool
        package var notes: [String]
    }

    /// Creates the lead or updates the stored one with the same address. Stage, qualification and
    /// subscription changes go through the stage machine; other fields are saved as given. The whole change
    /// (with `origin`'s audit line, if given) is one store transaction.
    package func upsert(_ incoming: Lead, at now: Date, origin: Origin? = nil) async throws(StoreError) -> Change {
        let cursor = try await store.roundRobinCursor()
        let keying = configuration.addressKeying
        var change: LeadChange
        var isNew = false
        if let existing = try await store.lead(incoming.email) {
            change = LeadChanges.update(
                incoming, existing: existing, active: try await active(incoming.email),
                machine: configuration.stageMachine, cursor: cursor, keying: keying, at: now)
        } else {
            isNew = true
            change = LeadChanges.create(
                incoming, machine: configuration.stageMachine, cursor: cursor, keying: keying, at: now)
        }
        if let origin {
            change.steps.append(
                .audit(origin.entry(change.lead.email, outcome: isNew ? "created" : "updated", at: now)))
        }
        return try await write(change, at: now)
    }

    /// Applies one event (stage change, qualification, reply, unsubscribe, bounce) to a stored lead, in one
    /// store transaction (with `origin`'s audit line, if given).
    package func apply(
        _ event: LeadEvent, to email: EmailAddress, at now: Date, origin: Origin? = nil
    ) async throws(StoreError) -> Change {
        guard let lead = try await store.lead(email) else {
            throw StoreError(.notFound, "no lead \(email) in the store; add it first with `nurture leads add`")
        }
        var change = LeadChanges.apply(
            event, to: lead, active: try await active(email), machine: configuration.stageMachine,
            cursor: try await store.roundRobinCursor(), keying: configuration.addressKeying, at: now)
        if let origin { change.steps.append(.audit(origin.entry(email, outcome: nil, at: now))) }
        return try await write(change, at: now)
    }

    /// Who asked for a change, recorded as one more audit line of it (e.g. kind `api`, `POST /v1/leads (token
    /// crm)`).
    package struct Origin: Sendable, Hashable {
        package var kind: String
        package var detail: String

        package init(kind: String, detail: String) {
            self.kind = kind
            self.detail = detail
        }

        /// The line: `detail`, followed by `: outcome` (`created`, `updated`) when given.
        func entry(_ email: EmailAddress, outcome: String?, at now: Date) -> LeadAuditEntry {
            LeadAuditEntry(at: now, leadEmail: email, kind: kind, detail: detail + (outcome.map { ": \($0)" } ?? ""))
        }
    }

    /// The lead's active enrollment, as a change starts from it.
    private func active(_ email: EmailAddress) async throws(StoreError) -> LeadChanges.Active? {
        try await store.enrollments(for: email).last { $0.isActive }.map {
            LeadChanges.Active(id: $0.id, sequence: $0.sequence)
        }
    }

    /// Hands the decided change to the store (one transaction) and words what it did.
    private func write(_ change: LeadChange, at now: Date) async throws(StoreError) -> Change {
        let result = try await store.apply(change, at: now)
        return Change(lead: change.lead, created: result.created, notes: change.notes(cancelled: result.cancelled))
    }

    /// Undoes a wrong bounce of `email`, asked by `actor` (`cli`, `api token crm`): clears the bounced flag and
    /// the suppression-list entry, records it in the lead's audit, and resumes the sequence the bounce ended where
    /// it stopped (see ``Unsuppression``), all in one transaction. A running daemon sends the next step on its
    /// next pass.
    /// - Throws: ``UnsuppressError`` when there is no such lead, it is not suppressed, or it unsubscribed (the
    ///   lead's own choice, never undone by an operator).
    package func unsuppress(
        _ email: EmailAddress, by actor: String, at now: Date
    ) async throws(UnsuppressError) -> Change {
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
}

/// Why ``LeadService/unsuppress(_:by:at:)`` did nothing.
package enum UnsuppressError: Error, Sendable, CustomStringConvertible {
    /// The address cannot be unsuppressed (no lead, not suppressed, unsubscribed); says what to do.
    case refused(Unsuppression.Refusal)
    /// The store failed.
    case store(StoreError)

    package var description: String {
        switch self {
        case .refused(let refusal): refusal.description
        case .store(let error): "\(error)"
        }
    }
}
