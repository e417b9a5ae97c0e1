import Foundation
package import NurtureSMTP

/// The daemon's HTTP interface (`http:`): where it listens, who may call the JSON API, how large a body may be.
package struct HTTPSettings: Sendable, Equatable {
    /// The listening host (an IP address; loopback by default).
    package var host: String
    /// The listening port; `0` lets the kernel choose (the daemon logs the port it got).
    package var port: Int
    /// `false` when `listen: off`: no HTTP interface (and unsubscribe links cannot be served by this daemon).
    package var enabled: Bool
    /// The bearer tokens the JSON API accepts, by name; empty refuses every API call (unsubscribe, metrics and
    /// health still work).
    package var tokens: [APIToken]
    /// Request bodies above this many bytes are refused with 413.
    package var maxBodyBytes: Int
    /// A connection that sends no complete request head (or nothing at all) for this long after its last
    /// request or since it opened is closed: idle keep-alive connections and slow clients do not pile up.
    package var idleTimeout: Duration
    /// At most this many connections are open at once; further ones wait in the listen backlog (and are
    /// refused by the kernel once it is full) until one closes, so a flood of connections cannot use up the
    /// daemon's file descriptors.
    package var maxConnections: Int

    /// The default: `127.0.0.1:8470`, no tokens, 64 KiB bodies.
    package static let defaultPort = 8470

    /// Makes settings (defaults: 30 s idle timeout, 256 connections).
    package init(
        host: String = "127.0.0.1", port: Int = HTTPSettings.defaultPort, enabled: Bool = true,
        tokens: [APIToken] = [], maxBodyBytes: Int = 65_536, idleTimeout: Duration = .seconds(30),
        maxConnections: Int = 256
    ) {
        self.host = host
        self.port = port
        self.enabled = enabled
        self.tokens = tokens
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}

/// One bearer token of the JSON API: a name that appears in logs and audit entries, and the secret value.
package struct APIToken: Sendable, Equatable {
    /// e.g. `crm`; never secret.
    package var name: String
    /// The token text; never logged.
    package var secret: Secret

    /// Makes a token.
    package init(name: String, secret: Secret) {
        self.name = name
        self.secret = secret
    }

    /// Reads a token file: one token a line, `NAME TOKEN` or just `TOKEN` (named `token-<line>`); blank lines
    /// and lines starting with `#` are skipped. Tokens must be at least 24 characters without spaces.
    /// - Returns: the tokens, or the problems, each naming the line (never the token).
    package static func parse(_ text: String) -> Result<[APIToken], APITokenFileError> {
        var tokens: [APIToken] = []
        var problems: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let number = index + 1
            let (name, value): (String, String)
            switch parts.count {
            case 1: (name, value) = ("token-\(number)", parts[0])
            case 2: (name, value) = (parts[0], parts[1])
            default:
                problems.append("line \(number): write `NAME TOKEN` or just `TOKEN`")
                continue
            }
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                problems.append("line \(number): the name may use letters, digits, - and _ only")
                continue
            }
            guard value.count >= 24, value.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\u{7F}" }) else {
                problems.append(
                    "line \(number) (\(name)): the token is shorter than 24 characters or not plain ASCII;"
                        + " make one with `openssl rand -hex 32`")
                continue
            }
            if tokens.contains(where: { $0.name == name }) {
                problems.append("line \(number): the name `\(name)` is used twice")
                continue
            }
            tokens.append(APIToken(name: name, secret: Secret(value)))
        }
        if !problems.isEmpty { return .failure(APITokenFileError(problems: problems)) }
        return .success(tokens)
    }
}

/// What is wrong with a token file, line by line.
package struct APITokenFileError: Error, Equatable, CustomStringConvertible {
    /// One sentence a line.
    package var problems: [String]

    /// The problems joined with `; `.
    package var description: String { problems.joined(separator: "; ") }
}
