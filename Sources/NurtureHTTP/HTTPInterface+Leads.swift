import Foundation
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureLog

/// `/v1/leads`: intake (create or update by email), events, reading (with the why explanation) and erasure.
/// Intake follows the rules of every door (``LeadIntake``); every change goes through ``LeadService`` (stage
/// machine, enrollments, audit, one store transaction with an `api` audit line naming the token), and wakes the
/// scheduler so the running schedule acts on it before its next send.
extension HTTPInterface {
    func addLeadRoutes(to api: RouterGroup<NurtureRequestContext>) {
        api.post("leads") { request, context in try await intake(request, context) }
        api.get("leads/:email") { _, context in try await read(context) }
        api.post("leads/:email/events") { request, context in try await event(request, context) }
        api.delete("leads/:email") { _, context in try await erase(context) }
    }

    private func intake(_ request: Request, _ context: NurtureRequestContext) async throws -> Response {
        try requireJSON(request)
        let configuration = configuration()
        let values = try LeadRequests.intake(try await body(of: request))
        let origin = LeadService.Origin(kind: "api", detail: "POST /v1/leads (token \(context.tokenName ?? "?"))")
        let (change, suppressed, active) = try await withStore {
            let change: LeadService.Change
            do throws(LeadIntake.Failure) {
                change = try await LeadIntake(store: store, configuration: configuration)
                    .save(values, mode: .createOrUpdate, origin: origin, at: now())
            } catch {
                switch error {
                case .invalid(let problems): throw APIError.invalid(problems)
                case .store(let error): throw error
                case .exists, .missing: throw APIError(.conflict, field: "email", "\(error)")
                }
            }
            let email = change.lead.email
            let suppressed = try await store.isSuppressed(configuration.addressKeying.suppressionKey(for: email))
            let active = try await store.enrollments(for: email).last { $0.isActive }
            return (change, suppressed, active)
        }
        wake()
        var notes = change.notes
        if suppressed { notes.append("the address is on the suppression list: nothing will be sent to it") }
        return JSONResponse.make(
            status: change.created ? .created : .ok,
            body: [
                "created": change.created, "lead": LeadJSON.lead(change.lead), "changes": notes,
                "enrollment": active.map(LeadJSON.enrollment) ?? NSNull(),
            ])
    }

    private func event(_ request: Request, _ context: NurtureRequestContext) async throws -> Response {
        try requireJSON(request)
        let email = try LeadRequests.address(fromPath: context.parameters.get("email") ?? "")
        let configuration = configuration()
        let event = try LeadRequests.event(try await body(of: request))
        let token = context.tokenName ?? "?"
        let origin = LeadService.Origin(
            kind: "api", detail: "POST /v1/leads/…/events (token \(token)): \(Self.describe(event))")
        let (change, active) = try await withStore {
            let at = now()
            guard let lead = try await store.lead(email) else { throw Self.noLead(email) }
            let service = LeadService(store: store, configuration: configuration)
            let change: LeadService.Change
            switch event {
            case .stage(let stage):
                change = try await service.apply(.stageChanged(to: stage), to: email, at: at, origin: origin)
            case .qualification(let criteria):
                change = try await service.apply(.qualificationUpdated(criteria), to: email, at: at, origin: origin)
            case .reply: change = try await service.apply(.replied, to: email, at: at, origin: origin)
            case .bounce: change = try await service.apply(.bounced, to: email, at: at, origin: origin)
            case .unsubscribe: change = try await service.apply(.unsubscribed, to: email, at: at, origin: origin)
            case .recycle: change = try await service.apply(.recycled, to: email, at: at, origin: origin)
            case .unsuppress:
                do throws(UnsuppressError) {
                    change = try await service.unsuppress(email, by: "api token \(token)", at: at)
                } catch {
                    switch error {
                    case .refused(let refusal): throw APIError(.conflict, field: "type", refusal.description)
                    case .store(let error): throw error
                    }
                }
                try await store.appendAudit(
                    LeadAuditEntry(at: at, leadEmail: email, kind: origin.kind, detail: origin.detail))
            case .owner(let owner):
                if let problem = LeadIntake.ownerProblem(owner, existing: lead.owner, configuration: configuration) {
                    throw APIError.invalid(LeadInput.Problems([problem]))
                }
                var updated = lead
                updated.owner = owner
                change = try await service.upsert(updated, at: at, origin: origin)
            }
            return (change, try await store.enrollments(for: email).last { $0.isActive })
        }
        wake()
        return JSONResponse.make(
            status: .ok,
            body: [
                "lead": LeadJSON.lead(change.lead),
                "changes": change.notes.isEmpty ? ["nothing changed"] : change.notes,
                "enrollment": active.map(LeadJSON.enrollment) ?? NSNull(),
            ])
    }

    /// The lead, its enrollments, its last 50 sends, and `why`: the plain-language answer to "why is its next
    /// email waiting?" (``WhyReport``, as `nurture why` ends with).
    private func read(_ context: NurtureRequestContext) async throws -> Response {
        let email = try LeadRequests.address(fromPath: context.parameters.get("email") ?? "")
        let configuration = configuration()
        let report = try await withStore {
            guard
                let report = try await WhyReport.read(email, store: store, configuration: configuration, now: now())
            else { throw Self.noLead(email) }
            return report
        }
        return JSONResponse.make(
            status: .ok,
            body: [
                "lead": LeadJSON.lead(report.lead), "suppressed": report.suppressed,
                "enrollments": report.enrollments.map(LeadJSON.enrollment),
                "sends": report.sends.suffix(50).map(LeadJSON.send), "why": report.answer,
            ])
    }

    private func erase(_ context: NurtureRequestContext) async throws -> Response {
        let email = try LeadRequests.address(fromPath: context.parameters.get("email") ?? "")
        let token = context.tokenName ?? "?"
        let keying = configuration().addressKeying
        let erasure = try await withStore {
            guard let erasure = try await store.eraseLead(email, keying: keying, at: now()) else {
                throw Self.noLead(email)
            }
            return erasure
        }
        wake()
        // The log names the pseudonym only: the point of erasure is that the address is gone.
        log.log(
            .notice, "lead_erased",
            ["lead": erasure.pseudonym.description, "token": token, "cancelled": erasure.cancelledSends])
        var changes = ["personal data erased; the address is kept only as a suppression hash"]
        if let sequence = erasure.endedSequence {
            changes.append("ended \(sequence) (erased); \(erasure.cancelledSends) waiting send(s) cancelled")
        }
        if erasure.sendsInFlight > 0 {
            changes.append(
                "\(erasure.sendsInFlight) send(s) were in flight; their outcome is recorded under the pseudonym")
        }
        return JSONResponse.make(
            status: .ok,
            body: [
                "erased": true, "pseudonym": erasure.pseudonym.description, "suppressed": true, "changes": changes,
            ])
    }

    /// Refuses a body that is not declared as JSON.
    private func requireJSON(_ request: Request) throws {
        guard let type = request.headers[.contentType]?.lowercased(),
            type.hasPrefix("application/json") || type.hasPrefix("application/merge-patch+json")
        else {
            throw APIError(
                .unsupportedMediaType, field: nil, "send the body as JSON with `Content-Type: application/json`")
        }
    }

    static func noLead(_ email: EmailAddress) -> APIError {
        APIError(.notFound, field: "email", "no lead \(email) in the store; create it with POST /v1/leads")
    }

    static func describe(_ event: LeadRequests.Event) -> String {
        switch event {
        case .stage(let stage): "stage \(stage)"
        case .owner(let owner): "owner \(owner ?? "none")"
        case .qualification(let criteria):
            "qualification "
                + criteria.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
        case .reply: "reply"
        case .bounce: "bounce"
        case .unsubscribe: "unsubscribe"
        case .recycle: "recycle"
        case .unsuppress: "unsuppress"
        }
    }
}
