package import Foundation
package import NurtureConfig
package import NurtureCore

/// The operator console's few actions, each written with an audit line in the lead's trail that names the console
/// user: resend or abandon a send whose outcome is `unknown`, unsuppress a lead, resume a paused enrollment, end an
/// enrollment. Whether an action applies is decided by the pure ``applies(_:to:now:)`` rules, which the pages also
/// use to show only the buttons that apply.
package struct ConsoleActions: Sendable {
    package var store: any SendStore
    package var configuration: NurtureConfiguration

    package init(store: any SendStore, configuration: NurtureConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// An action on a send.
    package enum SendAction: String, Sendable, CaseIterable {
        /// Back to waiting, due now, with the same Message-ID (as `scheduling.unknown_outcome: resend` does).
        case resend
        /// Given up for good: recorded `failed` with the unknown outcome as the reason; the next step is planned.
        case abandon
    }

    /// An action on an enrollment.
    package enum EnrollmentAction: String, Sendable, CaseIterable {
        /// Ends an out-of-office pause now.
        case resume
        /// Ends the enrollment and cancels its waiting sends.
        case end
    }

    /// Why an action did nothing, in words for the page.
    package struct Refusal: Error, Sendable, CustomStringConvertible {
        package var description: String
        package init(_ description: String) { self.description = description }
    }

    /// Whether `action` applies to `send`: only a send whose outcome is unknown is resent or abandoned.
    package static func applies(_ action: SendAction, to send: PlannedSend) -> Bool { send.state == .unknown }

    /// Whether `action` applies to `enrollment` at `now`: resume a pause that has not ended; end an active one.
    package static func applies(_ action: EnrollmentAction, to enrollment: EnrollmentRecord, now: Date) -> Bool {
        switch action {
        case .resume: enrollment.isActive && (enrollment.pausedUntil.map { $0 > now } ?? false)
        case .end: enrollment.isActive
        }
    }

    /// Carries out `action` on send `id` for console user `user`.
    /// - Returns: the flash message.
    package func perform(_ action: SendAction, send id: Int64, by user: String, at now: Date) async throws -> String {
        guard let send = try await store.send(id) else { throw Refusal("there is no send \(id)") }
        guard Self.applies(action, to: send) else {
            throw Refusal(
                "send \(id) is \(send.state), not unknown: only a send whose outcome is unknown can be \(action == .resend ? "resent" : "abandoned")"
            )
        }
        let who = "console user \(user)"
        let update: SendUpdate
        let detail: String
        switch action {
        case .resend:
            detail = "resend asked by \(who): outcome unknown, sent again with the same Message-ID"
            update = SendUpdate(state: .planned, nextAttemptAt: now, attempted: false, reason: detail)
        case .abandon:
            detail = "abandoned by \(who): outcome unknown, not sent again"
            update = SendUpdate(
                state: .failed, attempted: false, reason: detail,
                reasonKind: .outcomeUnknown)
        }
        let log = SendLogEntry(
            at: now, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
            messageID: send.messageID, state: update.state, attempt: 0, detail: detail,
            recipientDomain: send.leadEmail.domain.lowercased(), reasonKind: update.reasonKind)
        guard let queries = store as? any ConsoleQueries else { throw Refusal("this store cannot resolve sends") }
        guard try await queries.resolveUnknown(send.id, update: update, log: log, at: now) else {
            throw Refusal("send \(id) is no longer unknown: someone resolved it first")
        }
        try await store.appendAudit(
            LeadAuditEntry(
                at: now, leadEmail: send.leadEmail, kind: "console-\(action.rawValue)",
                detail: "send \(send.id) (step `\(send.step)` of `\(send.sequence)`): \(detail)"))
        return action == .resend
            ? "Send \(send.id) goes out again with the same Message-ID." : "Send \(send.id) was abandoned."
    }

    /// Carries out `action` on enrollment `id` for console user `user`.
    /// - Returns: the flash message.
    package func perform(
        _ action: EnrollmentAction, enrollment id: Int64, by user: String, at now: Date
    ) async throws -> String {
        guard let enrollment = try await store.enrollment(id) else { throw Refusal("there is no enrollment \(id)") }
        guard Self.applies(action, to: enrollment, now: now) else {
            throw Refusal(
                action == .resume
                    ? "enrollment \(id) is not paused" : "enrollment \(id) has already ended")
        }
        let who = "console user \(user)"
        switch action {
        case .resume:
            guard let lead = try await store.lead(enrollment.leadEmail) else { throw Refusal("the lead is gone") }
            let change = LeadChange(
                lead: lead, suppressionKey: configuration.addressKeying.suppressionKey(for: lead.email),
                steps: [
                    .pause(enrollment: id, until: now),
                    .audit(
                        LeadAuditEntry(
                            at: now, leadEmail: lead.email, kind: "console-resume",
                            detail: "pause of `\(enrollment.sequence)` ended by \(who)")),
                ])
            try await store.apply(change, at: now)
            return "Enrollment \(id) in \(enrollment.sequence) resumed."
        case .end:
            let cancelled = try await store.endEnrollment(id, reason: .operatorEnded, at: now)
            try await store.appendAudit(
                LeadAuditEntry(
                    at: now, leadEmail: enrollment.leadEmail, kind: "console-end",
                    detail:
                        "enrollment in `\(enrollment.sequence)` ended by \(who); \(cancelled) waiting send(s) cancelled"
                ))
            return "Enrollment \(id) in \(enrollment.sequence) ended; \(cancelled) waiting send(s) cancelled."
        }
    }

    /// Unsuppresses `email` for console user `user` (``LeadService/unsuppress(_:by:at:)``, which audits it).
    /// - Returns: the flash message.
    package func unsuppress(_ email: EmailAddress, by user: String, at now: Date) async throws -> String {
        do throws(UnsuppressError) {
            _ = try await LeadService(store: store, configuration: configuration).unsuppress(
                email, by: "console user \(user)", at: now)
            return "\(email) is no longer suppressed."
        } catch {
            switch error {
            case .refused(let refusal): throw Refusal(refusal.description)
            case .store(let error): throw error
            }
        }
    }
}
