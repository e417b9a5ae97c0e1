import Foundation
package import NurtureCore

/// The parts of a `postgres://user@host:port/database?sslmode=...` URL (`state.store`, `nurture store copy --to`).
///
/// A password in the URL is refused: it would end up in shell history, process lists and configuration files that
/// are not secret. The password comes from `database.password_file` or `database.password_credential`.
package struct PostgresURL: Sendable, Hashable {
    package var user: String?
    package var host: String
    package var port: Int?
    package var database: String?
    /// From `sslmode`: `disable` → `.disable`; `require` and `verify-full` → `.require` (which always verifies the
    /// server's certificate and host name).
    package var tls: PostgresSettings.TLS?

    package init(
        user: String? = nil, host: String, port: Int? = nil, database: String? = nil, tls: PostgresSettings.TLS? = nil
    ) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// Why a URL was refused; the texts never quote the URL (it might hold a password).
    package enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case notPostgres
        case password
        case noHost
        case badPort(String)
        case badQuery(String)
        case badSSLMode(String)

        package var description: String {
            switch self {
            case .notPostgres: "the URL does not start with postgres:// or postgresql://"
            case .password: "the URL holds a password"
            case .noHost: "the URL names no host"
            case .badPort(let port): "`\(port)` is not a port number from 1 to 65535"
            case .badQuery(let parameter):
                "the URL parameter `\(parameter)` is not supported (only sslmode is)"
            case .badSSLMode(let mode): "sslmode `\(mode)` is not supported (disable, require or verify-full)"
            }
        }
    }

    /// Whether `text` is meant as a PostgreSQL URL (its scheme), whatever its validity.
    package static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses `postgres://[user@]host[:port][/database][?sslmode=...]` (also `postgresql://`, and `[::1]` for an
    /// IPv6 host); user and database are percent-decoded.
    package static func parse(_ text: String) -> Result<PostgresURL, Problem> {
        guard isPostgres(text), let schemeEnd = text.range(of: "://") else { return .failure(.notPostgres) }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            guard !userInfo.contains(":") else { return .failure(.password) }
            user = userInfo.isEmpty ? nil : (userInfo.removingPercentEncoding ?? String(userInfo))
            rest = rest[rest.index(after: at)...]
        }
        guard case .success(let (host, portText)) = hostAndPort(rest) else { return .failure(.noHost) }
        var port: Int?
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number), portText.allSatisfy(\.isNumber) else {
                return .failure(.badPort(String(portText)))
            }
            port = number
        }
        var url = PostgresURL(
            user: user, host: host, port: port,
            database: path.isEmpty ? nil : (path.removingPercentEncoding ?? String(path)))
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0] == "sslmode" else { return .failure(.badQuery(String(pair[0]))) }
            switch pair[1] {
            case "disable": url.tls = .disable
            case "require", "verify-full": url.tls = .require
            default: return .failure(.badSSLMode(String(pair[1])))
            }
        }
        return .success(url)
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func hostAndPort(_ text: Substring) -> Result<(String, Substring?), Problem> {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(.noHost) }
            let host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard !host.isEmpty else { return .failure(.noHost) }
            if after.isEmpty { return .success((String(host), nil)) }
            guard after.hasPrefix(":") else { return .failure(.noHost) }
            return .success((String(host), after.dropFirst()))
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty else { return .failure(.noHost) }
        return .success((String(host), parts.count == 2 ? parts[1] : nil))
    }
}
