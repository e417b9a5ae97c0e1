package import Hummingbird
package import NurtureConfig
import NurtureSMTP

/// Lets a request through only with `Authorization: Bearer <token>` naming a configured token.
///
/// Tokens are read through `tokens` on every request, so a reload (SIGHUP) that changes the token file takes
/// effect at once. Comparison takes the same time wherever the texts differ.
package struct BearerAuthMiddleware: RouterMiddleware {
    package typealias Context = NurtureRequestContext

    let tokens: @Sendable () -> [APIToken]

    /// Checks against the tokens `tokens` returns at request time.
    package init(tokens: @escaping @Sendable () -> [APIToken]) {
        self.tokens = tokens
    }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let configured = tokens()
        guard !configured.isEmpty else {
            throw APIError.unauthorized(
                "this daemon has no API tokens configured, so the API refuses every call; the operator sets"
                    + " http.api_tokens_credential (or http.api_tokens_file)")
        }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send the header `Authorization: Bearer <token>`")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be `Bearer <token>`")
        }
        guard let match = Self.match(Array(parts[1].utf8), in: configured) else {
            throw APIError.unauthorized("the bearer token is not valid")
        }
        var context = context
        context.tokenName = match.name
        return try await next(request, context)
    }

    /// The token equal to `presented`; every configured token is compared in full, whatever matches.
    static func match(_ presented: [UInt8], in tokens: [APIToken]) -> APIToken? {
        var found: APIToken?
        for token in tokens where constantTimeEqual(presented, Array(token.secret.value.utf8)) {
            found = token
        }
        return found
    }

    /// `true` when the byte strings are equal; the time depends only on their lengths.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: lhs.count ^ rhs.count)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
