import Foundation
import HTTPTypes
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureLog

/// Logging in to the console: the form (with its double-submit CSRF token), the password check against the users
/// file (read on every attempt, so `nurture console add-user` takes effect at once), the rate limit, the session
/// cookie, and the way back to the page asked for.
extension HTTPInterface {
    func loginPage(
        _ request: Request, _ console: ConsoleRuntime, error: String?, status: HTTPResponse.Status,
        username: String = "", next: String? = nil
    ) -> Response {
        let token = ConsoleSession.loginToken(key: console.key)
        let html = ConsoleLoginPage.render(
            csrf: token, next: next ?? Self.query(request)["next"].flatMap(Self.safeNext), username: username,
            error: error)
        return ConsoleHTML.response(
            status, html,
            extra: [.setCookie: cookie(ConsoleSession.loginCookieName, token, console, maxAge: 3_600)])
    }

    func login(_ request: Request, _ context: NurtureRequestContext, _ console: ConsoleRuntime) async throws -> Response
    {
        let form = Self.form(String(decoding: try await body(of: request), as: UTF8.self))
        let username = form["username"] ?? ""
        let next = form["next"].flatMap(Self.safeNext)
        guard
            ConsoleSession.checkLoginToken(
                form["csrf"], cookie: request.cookies[ConsoleSession.loginCookieName]?.value, key: console.key)
        else {
            return loginPage(
                request, console, error: "The login form was stale: try again.", status: .forbidden,
                username: username, next: next)
        }
        let keys = ["user:" + username.lowercased()] + (context.remoteAddress.map { ["address:" + $0] } ?? [])
        let at = now()
        guard console.limiter.permits(keys, now: at) else {
            log.log(.warning, "console_login_limited", ["user": username, "address": context.remoteAddress ?? "-"])
            return loginPage(
                request, console, error: "Too many failed logins: wait a minute and try again.",
                status: .tooManyRequests, username: username, next: next)
        }
        let users: [ConsoleUser]
        do {
            users = try ConsoleUsers.load(path: console.settings.usersFile)
        } catch {
            log.log(.error, "console_users", ["problem": "\(error)"])
            return loginPage(
                request, console, error: "The console's users file cannot be used; the daemon's log says why.",
                status: .serviceUnavailable, username: username, next: next)
        }
        let user = users.first { $0.name == username }
        let password = form["password"] ?? ""
        let matches = ConsoleUsers.verify(password, hash: user?.hash ?? ConsoleUsers.decoyHash)
        guard let user, matches else {
            console.limiter.failed(keys, now: at)
            log.log(.notice, "console_login_failed", ["user": username, "address": context.remoteAddress ?? "-"])
            return loginPage(
                request, console, error: "Wrong user name or password.", status: .unauthorized, username: username,
                next: next)
        }
        let session = ConsoleSession(
            user: user.name, role: user.role, expires: at.addingTimeInterval(ConsoleSession.lifetime),
            nonce: ConsoleSession.randomNonce())
        log.log(.notice, "console_login", ["user": user.name, "role": user.role.rawValue])
        return ConsoleHTML.redirect(
            next ?? "/console",
            cookies: [
                cookie(
                    ConsoleSession.cookieName, session.cookieValue(key: console.key), console,
                    maxAge: Int(ConsoleSession.lifetime)),
                cookie(ConsoleSession.loginCookieName, "", console, maxAge: 0),
            ])
    }

    /// `next` when it is a path of this console (`/console...`), never another site (`//host`, `/\host`, a scheme).
    static func safeNext(_ next: String) -> String? {
        guard next.hasPrefix("/console"), !next.hasPrefix("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return next
    }
}
