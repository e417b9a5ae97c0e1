import Foundation
import HTTPTypes
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureLog

/// One-click unsubscribe (RFC 8058) at `<path of company.unsubscribe_url>/<token>`.
///
/// `GET` only shows a confirmation page (mail scanners follow links; a GET must change nothing). `POST` with
/// `List-Unsubscribe=One-Click` (what mailbox providers send, and what the page's button sends) unsubscribes
/// at once. The token resolves only if this daemon issued it; forged or altered tokens get 404.
extension HTTPInterface {
    func addUnsubscribeRoutes(to router: Router<NurtureRequestContext>, path: String) {
        router.get("\(path)/:token") { _, context in try await unsubscribePage(context) }
        router.post("\(path)/:token") { request, context in try await unsubscribe(request, context) }
    }

    private func unsubscribePage(_ context: NurtureRequestContext) async throws -> Response {
        guard let lead = try await resolve(context) else { return html(.notFound, UnsubscribePage.invalid()) }
        return html(
            .ok,
            UnsubscribePage.confirm(
                company: configuration().company.name, maskedAddress: UnsubscribePage.mask(lead.email.description),
                alreadyUnsubscribed: lead.isUnsubscribed))
    }

    private func unsubscribe(_ request: Request, _ context: NurtureRequestContext) async throws -> Response {
        let form = String(decoding: try await body(of: request), as: UTF8.self)
        guard Self.isOneClick(form, contentType: request.headers[.contentType]) else {
            return html(.badRequest, UnsubscribePage.badRequest())
        }
        guard let lead = try await resolve(context) else { return html(.notFound, UnsubscribePage.invalid()) }
        let configuration = configuration()
        if !lead.isUnsubscribed {
            try await withStore {
                _ = try await LeadService(store: store, configuration: configuration).apply(
                    .unsubscribed, to: lead.email, at: now(),
                    origin: LeadService.Origin(kind: "api", detail: "one-click unsubscribe link"))
            }
            wake()
            log.log(.notice, "unsubscribed", ["lead": lead.email.description, "via": "one-click link"])
        }
        return html(
            .ok,
            UnsubscribePage.done(
                company: configuration.company.name, maskedAddress: UnsubscribePage.mask(lead.email.description)))
    }

    /// The lead the token was issued to; `nil` for anything that is not a token this daemon issued.
    private func resolve(_ context: NurtureRequestContext) async throws -> Lead? {
        guard let token = context.parameters.get("token"), Self.isTokenShaped(token) else { return nil }
        return try await withStore { try await store.lead(unsubscribeToken: token) }
    }

    /// 64 lower-case hex digits (HMAC-SHA256), nothing else reaches the store.
    static func isTokenShaped(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// RFC 8058: the POST body carries `List-Unsubscribe=One-Click`, form-urlencoded or multipart.
    static func isOneClick(_ body: String, contentType: String?) -> Bool {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data") {
            return body.contains("name=\"List-Unsubscribe\"") && body.contains("One-Click")
        }
        return body.split(separator: "&").contains {
            $0.trimmingCharacters(in: .whitespacesAndNewlines) == "List-Unsubscribe=One-Click"
        }
    }

    // Both names are valid tokens, so the initializer cannot fail.
    private static let frameOptions = HTTPField.Name("X-Frame-Options")!
    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    private func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
                Self.frameOptions: "DENY", Self.referrerPolicy: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
