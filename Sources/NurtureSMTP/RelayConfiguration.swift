import Foundation

/// How Nurture reaches its SMTP relay: address, TLS mode, credentials, timeouts, connection pool.
package struct RelayConfiguration: Sendable, Equatable {
    /// How the connection is protected.
    package enum Security: String, Sendable, Equatable, CaseIterable {
        /// `smtp://` and the server must offer STARTTLS; the transfer fails (nothing sent in clear) if it does not.
        case startTLS = "starttls"
        /// `smtps://`: TLS from the first byte (port 465).
        case implicitTLS = "tls"
        /// `smtp://` in clear. Only for a relay on loopback or a trusted socket; must be asked for explicitly.
        case plain = "none"
    }

    /// The relay's host name or IP address.
    package var host: String
    /// The relay's TCP port.
    package var port: Int
    /// TLS mode; ``Security/startTLS`` unless the configuration says otherwise.
    package var security: Security
    /// SMTP AUTH user name, or `nil` to send without logging in.
    package var username: String?
    /// SMTP AUTH password (read from a file or a systemd credential, never from the config text).
    package var password: Secret?
    /// A PEM bundle of certificate authorities to trust instead of the system's, e.g. for a private relay.
    package var caFile: String?
    /// The name to announce in EHLO; libcurl's default when `nil`.
    package var heloName: String?
    /// Time allowed to open the TCP connection and finish the TLS handshake.
    package var connectTimeout: Duration
    /// Time allowed for each server reply, including the one after the final dot.
    /// RFC 5321 §4.5.3.2.6 asks clients to wait 10 minutes for the final-dot reply.
    package var replyTimeout: Duration
    /// How many connections are kept open and used in parallel.
    package var poolSize: Int

    /// Makes a configuration; the defaults are the safe ones (STARTTLS required, RFC 5321 timeouts).
    package init(
        host: String, port: Int = 587, security: Security = .startTLS, username: String? = nil,
        password: Secret? = nil, caFile: String? = nil, heloName: String? = nil,
        connectTimeout: Duration = .seconds(30), replyTimeout: Duration = .seconds(600), poolSize: Int = 2
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.poolSize = poolSize
    }

    /// The URL handed to libcurl: `smtp://host:port` or `smtps://host:port`.
    package var url: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)"
    }

    /// How the relay is named in pauses, `nurture status`, `/healthz` and metrics: `host:port`, or
    /// `user@host:port` when it logs in (two salespeople's accounts on one relay pause separately).
    package var name: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return (username.map { "\($0)@" } ?? "") + "\(hostPart):\(port)"
    }
}

/// A secret value (a password) that never prints itself.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret text. Read it only to hand it to the transport.
    package let value: String

    /// Wraps a secret.
    package init(_ value: String) { self.value = value }

    /// Reads a secret from a file (e.g. `$CREDENTIALS_DIRECTORY/smtp-password`), dropping one trailing newline.
    /// - Throws: ``SecretError`` naming the file when it cannot be read or is empty.
    package init(contentsOfFile path: String) throws(SecretError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw SecretError.unreadable(path: path) }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\r\n") { text.removeLast(1) }
        if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw SecretError.empty(path: path) }
        self.value = text
    }

    /// Always `<redacted>`, so a secret cannot reach a log line by accident.
    package var description: String { "<redacted>" }
    /// Always `<redacted>`.
    package var debugDescription: String { "<redacted>" }
}

/// Why a secret could not be loaded.
package enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case empty(path: String)

    /// One sentence naming the file and what to do.
    package var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read secret file \(path); check that it exists and is readable by the nurture user"
        case .empty(let path): return "secret file \(path) is empty; put the password on its first line"
        }
    }
}
