import Foundation
import Hummingbird
import NurtureConfig
import NurtureCore
import NurtureDaemon

/// `/v1/leads`: intake (create or update by email), events, reading and erasure. Every change goes through
/// ``LeadService`` (stage machine, enrollments, audit), gets an `api` audit line naming the token, and wakes
/// the scheduler so the running schedule acts on it before its next send.
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
        let values = try LeadRequests.intake(try await body(of: request), configuration: configuration)
        let token = context.tokenName ?? "?"
        let (change, suppressed, active) = try await withStore { [store, now] in
            let at = now()
            let parsed = try? EmailAddress(values["email"] ?? "")
            let existing: Lead? = if let parsed { try await store.lead(parsed) } else { nil }
            let lead: Lead
            switch LeadInput.lead(from: values, base: existing) {
            case .success(let value): lead = value
            case .failure(let problems):
                let first = problems.all[0]
                let message =
                    problems.all.count == 1
                    ? "\(first.problem); \(first.fix)" : problems.all.map(\.description).joined(separator: "; ")
                throw APIError(.unprocessableContent, field: first.field, message)
            }
            let email = lead.email
            let change = try await LeadService(store: store, configuration: configuration).upsert(lead, at: at)
            try await store.appendAudit(
                LeadAuditEntry(
                    at: at, leadEmail: email, kind: "api",
                    detail: "POST /v1/leads (token \(token)): " + (change.created ? "created" : "updated")))
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
        let event = try LeadRequests.event(try await body(of: request), configuration: configuration)
        let token = context.tokenName ?? "?"
        let (change, active) = try await withStore { [store, now] in
            let at = now()
            guard let lead = try await store.lead(email) else { throw Self.noLead(email) }
            let service = LeadService(store: store, configuration: configuration)
            let change: LeadService.Change
            switch event {
            case .stage(let stage): change = try await service.apply(.stageChanged(to: stage), to: email, at: at)
            case .qualification(let criteria):
                change = try await service.apply(.qualificationUpdated(criteria), to: email, at: at)
            case .reply: change = try await service.apply(.replied, to: email, at: at)
            case .bounce: change = try await service.apply(.bounced, to: email, at: at)
            case .unsubscribe: change = try await service.apply(.unsubscribed, to: email, at: at)
            case .recycle: change = try await service.apply(.recycled, to: email, at: at)
            case .unsuppress:
                do {
                    change = try await service.unsuppress(email, by: "api token \(token)", at: at)
                } catch let error as UnsuppressError {
                    switch error {
                    case .refused(let refusal): throw APIError(.conflict, field: "type", refusal.description)
                    case .store(let error): throw error
                    }
                }
            case .owner(let owner):
                var updated = lead
                updated.owner = owner
                change = try await service.upsert(updated, at: at)
            }
            try await store.appendAudit(
                LeadAuditEntry(
                    at: at, leadEmail: email, kind: "api",
                    detail: "POST /v1/leads/…/events (token \(token)): \(Self.describe(event))"))
            return await (change, try store.enrollments(for: email).last { $0.isActive })
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

    private func read(_ context: NurtureRequestContext) async throws -> Response {
        let email = try LeadRequests.address(fromPath: context.parameters.get("email") ?? "")
        let key = configuration().addressKeying.suppressionKey(for: email)
        let (lead, enrollments, sends, suppressed) = try await withStore { [store] in
            guard let lead = try await store.lead(email) else { throw Self.noLead(email) }
            return await (
                lead, try store.enrollments(for: email), try store.sends(for: email),
                try store.isSuppressed(key)
            )
        }
        return JSONResponse.make(
            status: .ok,
            body: [
                "lead": LeadJSON.lead(lead), "suppressed": suppressed,
                "enrollments": enrollments.map(LeadJSON.enrollment), "sends": sends.suffix(50).map(LeadJSON.send),
            ])
    }

    private func erase(_ context: NurtureRequestContext) async throws -> Response {
        let email = try LeadRequests.address(fromPath: context.parameters.get("email") ?? "")
        let token = context.tokenName ?? "?"
        let keying = configuration().addressKeying
        let erasure = try await withStore { [store, now] in
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
