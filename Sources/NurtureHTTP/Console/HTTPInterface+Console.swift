import Foundation
import HTTPTypes
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureLog

/// The operator console's routes under `/console`. Nothing answers without a valid session cookie except the login
/// page and the stylesheet; every POST carries the session's CSRF token; actions are for admins only.
extension HTTPInterface {
    /// A handler of a page that needs a session.
    typealias ConsoleHandler =
        @Sendable (Request, NurtureRequestContext, ConsoleSession, [String: String]) async throws
        -> Response

    func addConsoleRoutes(to router: Router<NurtureRequestContext>, _ console: ConsoleRuntime) {
        router.get("console/static/console.css") { _, _ in
            Response(
                status: .ok, headers: ConsoleHTML.headers(contentType: "text/css; charset=utf-8"),
                body: ResponseBody(byteBuffer: ByteBuffer(string: ConsoleStyle.css)))
        }
        router.get("console/login") { request, _ in loginPage(request, console, error: nil, status: .ok) }
        router.post("console/login") { request, context in try await login(request, context, console) }
        router.post("console/logout") { request, context in
            try await guarded(request, context, console, post: true, admin: false) { _, _, _, _ in
                ConsoleHTML.redirect(
                    "/console/login", cookies: [cookie(ConsoleSession.cookieName, "", console, maxAge: 0)])
            }
        }
        let pages: [(String, ConsoleHandler)] = [
            ("console", { request, _, session, _ in try await overview(request, session, console) }),
            ("console/sends", { request, _, session, _ in try await sendLog(request, session, console) }),
            ("console/sends.csv", { request, _, _, _ in try await sendLogCSV(request, console) }),
            (
                "console/sends/:id",
                { request, context, session, _ in try await sendDetail(request, context, session, console) }
            ),
            (
                "console/leads/:email",
                { request, context, session, _ in try await leadPage(request, context, session, console) }
            ),
            ("console/sequences", { request, _, session, _ in try await sequencesPage(request, session, console) }),
            (
                "console/sequences/:name",
                { request, context, session, _ in try await funnelPage(request, context, session, console) }
            ),
            ("console/preview", { request, _, session, _ in try await previewPage(request, session, console) }),
            ("console/preview/html", { request, _, _, _ in try await previewHTML(request, console) }),
        ]
        for (path, handler) in pages {
            router.get(RouterPath(path)) { request, context in
                try await guarded(request, context, console, post: false, admin: false, handler)
            }
        }
        let actions: [(String, ConsoleHandler)] = [
            (
                "console/sends/:id/resend",
                { _, context, session, form in try await sendAction(.resend, context, session, form, console) }
            ),
            (
                "console/sends/:id/abandon",
                { _, context, session, form in try await sendAction(.abandon, context, session, form, console) }
            ),
            (
                "console/leads/:email/unsuppress",
                { _, context, session, form in try await unsuppress(context, session, form, console) }
            ),
            (
                "console/enrollments/:id/resume",
                { _, context, session, form in try await enrollmentAction(.resume, context, session, form, console) }
            ),
            (
                "console/enrollments/:id/end",
                { _, context, session, form in try await enrollmentAction(.end, context, session, form, console) }
            ),
        ]
        for (path, handler) in actions {
            router.post(RouterPath(path)) { request, context in
                try await guarded(request, context, console, post: true, admin: true, handler)
            }
        }
    }

    /// Runs `handler` when the request has a valid session (and, for a POST, its CSRF token; for an action, an
    /// admin's session). Without a session: a GET is sent to the login page, a POST gets 401.
    private func guarded(
        _ request: Request, _ context: NurtureRequestContext, _ console: ConsoleRuntime, post: Bool, admin: Bool,
        _ handler: ConsoleHandler
    ) async throws -> Response {
        guard let value = request.cookies[ConsoleSession.cookieName]?.value,
            let session = ConsoleSession.verify(value, key: console.key, now: now())
        else {
            if post { return message(.unauthorized, "Log in first", "Your session has ended: log in again.", console) }
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return ConsoleHTML.redirect("/console/login?next=" + ConsoleSendFilter.encode(next))
        }
        if post {
            let form = Self.form(String(decoding: try await body(of: request), as: UTF8.self))
            guard session.checkCSRF(form["csrf"], key: console.key) else {
                return message(
                    .forbidden, "Refused",
                    "The form was stale or not from this console: reload the page and try again.", console)
            }
            if admin, session.role != .admin {
                return message(
                    .forbidden, "Not allowed", "Only admin users can take actions; \(session.user) is a viewer.",
                    console)
            }
            return try await handler(request, context, session, form)
        }
        return try await handler(request, context, session, [:])
    }

    /// `a=1&b=x+y` → `["a": "1", "b": "x y"]` (the first of repeated names).
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    /// The query string's parameters, decoded (the first of repeated names).
    static func query(_ request: Request) -> [String: String] {
        form((request.uri.query ?? "").replacingOccurrences(of: "+", with: "%20"))
    }

    /// A `Set-Cookie` value: `HttpOnly; SameSite=Strict; Path=/console`, `Secure` unless on loopback.
    func cookie(_ name: String, _ value: String, _ console: ConsoleRuntime, maxAge: Int) -> String {
        "\(name)=\(value); Max-Age=\(maxAge); Path=/console; HttpOnly; SameSite=Strict"
            + (console.secureCookies ? "; Secure" : "")
    }

    /// A page with a heading and one paragraph.
    func message(_ status: HTTPResponse.Status, _ title: String, _ text: String, _ console: ConsoleRuntime) -> Response
    {
        let body =
            "<h1>\(ConsoleHTML.escape(title))</h1><p class=\"error\" role=\"alert\">\(ConsoleHTML.escape(text))</p>"
        return ConsoleHTML.response(
            status, ConsoleLayout.page(.init(title: title, session: nil, csrf: "", flash: nil), body: body))
    }

    /// The frame of a page for `session`, with the flash message the last action left.
    func frame(_ title: String, _ request: Request, _ session: ConsoleSession, _ console: ConsoleRuntime)
        -> ConsoleLayout.Frame
    {
        let flash = request.cookies[ConsoleFlash.cookieName].flatMap { ConsoleFlash.read($0.value, key: console.key) }
        return ConsoleLayout.Frame(
            title: title, session: session, csrf: session.csrfToken(key: console.key), flash: flash)
    }

    /// A page response; clears the flash cookie when the page showed it.
    func pageResponse(_ html: String, _ request: Request, _ console: ConsoleRuntime, status: HTTPResponse.Status = .ok)
        -> Response
    {
        var extra: HTTPFields = [:]
        if request.cookies[ConsoleFlash.cookieName] != nil {
            extra.append(HTTPField(name: .setCookie, value: cookie(ConsoleFlash.cookieName, "", console, maxAge: 0)))
        }
        return ConsoleHTML.response(status, html, extra: extra)
    }

    /// A 303 back to `location` with a flash message.
    func back(_ location: String, flash: String, _ console: ConsoleRuntime) -> Response {
        ConsoleHTML.redirect(
            location,
            cookies: [cookie(ConsoleFlash.cookieName, ConsoleFlash.value(flash, key: console.key), console, maxAge: 60)]
        )
    }
}
