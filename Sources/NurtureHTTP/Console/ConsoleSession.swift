import Crypto
package import Foundation

/// The console's signed session cookie and CSRF tokens, under one HMAC-SHA256 key.
///
/// A session is `base64url(user|role|expires|nonce)` `.` `base64url(HMAC(key, payload))`: nothing is stored on the
/// server, a change of any byte breaks the signature, and a new key (a restart without `session_key_file`) ends
/// every session. The CSRF token of a session is `HMAC(key, "csrf|" + nonce)`: tied to the session, checked with a
/// constant-time comparison on every POST. Before login, the login form's token is a signed random value that the
/// form and a short cookie must both carry (double submit).
package struct ConsoleSession: Sendable, Hashable {
    package var user: String
    package var role: ConsoleRole
    package var expires: Date
    /// Random, per login; the CSRF token derives from it.
    package var nonce: String

    package static let cookieName = "nurture_console"
    package static let loginCookieName = "nurture_console_login"
    /// 12 hours.
    package static let lifetime: TimeInterval = 12 * 3_600

    package init(user: String, role: ConsoleRole, expires: Date, nonce: String) {
        self.user = user
        self.role = role
        self.expires = expires
        self.nonce = nonce
    }

    /// The signing key.
    package struct Key: Sendable {
        let key: SymmetricKey
        package init(bytes: [UInt8]) { self.key = SymmetricKey(data: bytes) }
        /// A random 32-byte key.
        package static func random() -> Key { Key(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) }) }

        func sign(_ text: String) -> String {
            base64url(Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)))
        }

        /// Constant-time comparison of `signature` with the signature of `text`.
        func verify(_ text: String, signature: String) -> Bool {
            constantTimeEqual(Array(sign(text).utf8), Array(signature.utf8))
        }
    }

    /// The cookie value.
    package func cookieValue(key: Key) -> String {
        let payload = Self.base64url(
            Array("\(user)|\(role.rawValue)|\(Int64(expires.timeIntervalSince1970))|\(nonce)".utf8))
        return payload + "." + key.sign(payload)
    }

    /// The session in `value` when its signature holds and it has not expired at `now`.
    package static func verify(_ value: String, key: Key, now: Date) -> ConsoleSession? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, key.verify(parts[0], signature: parts[1]), let bytes = unbase64url(parts[0]) else {
            return nil
        }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
            .map(String.init)
        guard fields.count == 4, let role = ConsoleRole(rawValue: fields[1]), let seconds = Int64(fields[2]) else {
            return nil
        }
        let expires = Date(timeIntervalSince1970: TimeInterval(seconds))
        guard expires > now else { return nil }
        return ConsoleSession(user: fields[0], role: role, expires: expires, nonce: fields[3])
    }

    /// This session's CSRF token.
    package func csrfToken(key: Key) -> String { key.sign("csrf|" + nonce) }

    /// Whether `token` is this session's CSRF token (constant time).
    package func checkCSRF(_ token: String?, key: Key) -> Bool {
        guard let token else { return false }
        return constantTimeEqual(Array(csrfToken(key: key).utf8), Array(token.utf8))
    }

    /// A fresh login-form token: a random value and its signature.
    package static func loginToken(key: Key) -> String {
        let value = randomNonce()
        return value + "." + key.sign("login|" + value)
    }

    /// Whether the login form's `token` is one this key signed and equals the login cookie's.
    package static func checkLoginToken(_ token: String?, cookie: String?, key: Key) -> Bool {
        guard let token, let cookie, constantTimeEqual(Array(token.utf8), Array(cookie.utf8)) else { return false }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return parts.count == 2 && key.verify("login|" + parts[0], signature: parts[1])
    }

    /// 16 random bytes, base64url.
    package static func randomNonce() -> String { base64url((0..<16).map { _ in UInt8.random(in: 0...255) }) }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
