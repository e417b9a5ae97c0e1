package import Foundation
package import NurtureConfig
package import NurtureCore

/// Lead intake, one path for every door: `nurture leads add` and `update`, `nurture leads import` (a CSV file)
/// and `POST /v1/leads`. The values arrive as the `[key: text]` map ``LeadInput`` reads (keys are the CSV
/// column names); one set of rules and messages applies to all of them (``lead(from:existing:configuration:)``),
/// and the change goes through ``LeadService`` (one store transaction).
package struct LeadIntake: Sendable {
    /// Whether the lead must be new, must exist, or may be either.
    package enum Mode: Sendable {
        /// `nurture leads add`: refused when the lead exists.
        case create
        /// `nurture leads update`: refused when the lead does not exist.
        case update
        /// `POST /v1/leads`, `nurture leads import`: created or updated.
        case createOrUpdate
    }

    /// Why an intake changed nothing.
    package enum Failure: Error, Sendable, CustomStringConvertible {
        /// The values break a rule; every problem names its field and says what to do.
        case invalid(LeadInput.Problems)
        /// ``Mode/create`` and the lead exists.
        case exists(EmailAddress)
        /// ``Mode/update`` and there is no such lead.
        case missing(EmailAddress)
        /// The store failed.
        case store(StoreError)

        package var description: String {
            switch self {
            case .invalid(let problems): "\(problems)"
            case .exists(let email): "\(email) already exists; change it with `nurture leads update \(email) ...`"
            case .missing(let email): "no lead \(email) in the store; add it with `nurture leads add \(email) ...`"
            case .store(let error): "\(error)"
            }
        }
    }

    package let service: LeadService

    package init(store: any SendStore, configuration: NurtureConfiguration) {
        self.service = LeadService(store: store, configuration: configuration)
    }

    /// Checks `values` by the intake rules onto the stored lead (if any) and saves the change.
    /// - Parameter origin: who asked, written as one more audit line of the change (the API names its token).
    package func save(
        _ values: [String: String], mode: Mode, origin: LeadService.Origin? = nil, at now: Date
    ) async throws(Failure) -> LeadService.Change {
        let email = (try? EmailAddress(LeadInput.trimmingWhitespace(values["email"] ?? "")))
        var existing: Lead?
        if let email {
            do {
                existing = try await service.store.lead(email)
            } catch {
                throw .store(error)
            }
            if mode == .create, existing != nil { throw .exists(email) }
            if mode == .update, existing == nil { throw .missing(email) }
        }
        let lead: Lead
        switch Self.lead(from: values, existing: existing, configuration: service.configuration) {
        case .success(let parsed): lead = parsed
        case .failure(let problems): throw .invalid(problems)
        }
        do {
            return try await service.upsert(lead, at: now, origin: origin)
        } catch {
            throw .store(error)
        }
    }

    /// The intake rules: ``LeadInput`` onto `existing` (if any), and an owner that changes must be one of the
    /// configured salespeople (``ownerProblem(_:existing:configuration:)``).
    package static func lead(
        from values: [String: String], existing: Lead?, configuration: NurtureConfiguration
    ) -> Result<Lead, LeadInput.Problems> {
        let lead: Lead
        switch LeadInput.lead(from: values, base: existing) {
        case .success(let parsed): lead = parsed
        case .failure(let problems): return .failure(problems)
        }
        if let problem = ownerProblem(lead.owner, existing: existing?.owner, configuration: configuration) {
            return .failure(LeadInput.Problems([problem]))
        }
        return .success(lead)
    }

    /// Why `owner` cannot be given to a lead whose owner is `existing`, or `nil`: a new owner must be a configured
    /// salesperson (an owner kept as it was stays, even one the configuration no longer has, so other fields can
    /// still be changed); `nil` (no owner) is always accepted.
    package static func ownerProblem(
        _ owner: String?, existing: String?, configuration: NurtureConfiguration
    ) -> LeadInput.Problem? {
        guard let owner, owner != existing, configuration.salesperson(id: owner) == nil else { return nil }
        let known = configuration.salespeople.map(\.id)
        return LeadInput.Problem(
            field: "owner", problem: "`\(owner)` is not a configured salesperson",
            fix: known.isEmpty
                ? "no salespeople are configured; leave the owner out, or write none"
                : "use one of: \(known.joined(separator: ", ")), or none")
    }
}
