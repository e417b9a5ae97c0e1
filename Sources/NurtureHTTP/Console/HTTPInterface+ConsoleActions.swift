import Foundation
import Hummingbird
import NurtureApp
import NurtureCore
import NurtureLog

/// The console's actions (admins only, CSRF-checked by the guard): each is carried out by ``ConsoleActions``,
/// audited in the lead's trail with the user's name, logged, and answered with a 303 back to the page with a flash
/// message.
extension HTTPInterface {
    func sendAction(
        _ action: ConsoleActions.SendAction, _ context: NurtureRequestContext, _ session: ConsoleSession,
        _ form: [String: String], _ console: ConsoleRuntime
    ) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else {
            return back("/console/sends", flash: "No such send.", console)
        }
        return try await act(back: "/console/sends/\(id)", session, console, action.rawValue, "send \(id)") {
            try await ConsoleActions(store: store, configuration: configuration()).perform(
                action, send: id, by: session.user, at: now())
        }
    }

    func enrollmentAction(
        _ action: ConsoleActions.EnrollmentAction, _ context: NurtureRequestContext, _ session: ConsoleSession,
        _ form: [String: String], _ console: ConsoleRuntime
    ) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }),
            let enrollment = try await withStore({ try await store.enrollment(id) })
        else { return back("/console", flash: "No such enrollment.", console) }
        let page = ConsoleLayout.leadPath(enrollment.leadEmail.description)
        return try await act(back: page, session, console, action.rawValue, "enrollment \(id)") {
            try await ConsoleActions(store: store, configuration: configuration()).perform(
                action, enrollment: id, by: session.user, at: now())
        }
    }

    func unsuppress(
        _ context: NurtureRequestContext, _ session: ConsoleSession, _ form: [String: String], _ console: ConsoleRuntime
    ) async throws -> Response {
        guard let text = context.parameters.get("email").flatMap({ $0.removingPercentEncoding }),
            let email = try? EmailAddress(text)
        else { return back("/console", flash: "That is not an email address.", console) }
        return try await act(
            back: ConsoleLayout.leadPath(email.description), session, console,
            "unsuppress", "lead \(email)"
        ) {
            try await ConsoleActions(store: store, configuration: configuration()).unsuppress(
                email, by: session.user, at: now())
        }
    }

    /// Runs `work`, wakes the scheduler, logs the action, and goes back to `page` with its message (or the refusal).
    private func act(
        back page: String, _ session: ConsoleSession, _ console: ConsoleRuntime, _ action: String, _ target: String,
        _ work: () async throws -> String
    ) async throws -> Response {
        do {
            let message = try await work()
            wake()
            log.log(.notice, "console_action", ["user": session.user, "action": action, "target": target])
            return back(page, flash: message, console)
        } catch let refusal as ConsoleActions.Refusal {
            log.log(
                .notice, "console_action",
                ["user": session.user, "action": action, "target": target, "refused": refusal.description])
            return back(page, flash: "Nothing changed: \(refusal.description)", console)
        } catch {
            log.log(.error, "http_store", ["problem": "\(error)"])
            throw APIError(.serviceUnavailable, field: nil, "the store could not be used: \(error); try again later")
        }
    }
}
