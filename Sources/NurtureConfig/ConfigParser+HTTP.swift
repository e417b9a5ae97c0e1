import Foundation
import NurtureCore
import NurtureSMTP
internal import Yams

/// The optional `http:` section: listen address, API tokens, body limit.
extension ConfigParser {
    static let httpKeys = [
        "listen", "api_tokens_file", "api_tokens_credential", "max_body_bytes", "idle_timeout_seconds",
        "max_connections",
    ]

    /// The HTTP settings; the defaults (127.0.0.1:8470, no tokens) when the section is absent.
    func httpSection(_ top: Fields) -> HTTPSettings {
        var settings = HTTPSettings()
        guard let node = top["http"], let fields = diagnostics.fields(node, path: "http", allowed: Self.httpKeys)
        else { return settings }
        if let listen = diagnostics.text(fields, "listen", example: "127.0.0.1:8470") {
            if listen == "off" {
                settings.enabled = false
            } else if let (host, port) = Self.hostAndPort(listen) {
                settings.host = host
                settings.port = port
            } else {
                diagnostics.report(
                    fields["listen"], fields.path("listen"), "`\(listen)` is not an IP address and port",
                    fix: "write e.g. `127.0.0.1:8470` (loopback; put a reverse proxy in front), `[::1]:8470`, or `off`")
            }
        }
        if let limit = diagnostics.integer(fields, "max_body_bytes", in: 1024...16_777_216) {
            settings.maxBodyBytes = limit
        }
        if let seconds = diagnostics.integer(fields, "idle_timeout_seconds", in: 1...3_600) {
            settings.idleTimeout = .seconds(seconds)
        }
        if let limit = diagnostics.integer(fields, "max_connections", in: 1...65_536) {
            settings.maxConnections = limit
        }
        let secret = secret(fields, fileKey: "api_tokens_file", credentialKey: "api_tokens_credential")
        if let text = secret.value {
            let key = fields.has("api_tokens_file") ? "api_tokens_file" : "api_tokens_credential"
            switch APIToken.parse(text.value) {
            case .success(let tokens): settings.tokens = tokens
            case .failure(let error):
                for problem in error.problems {
                    diagnostics.report(
                        fields[key], fields.path(key), "token file: \(problem)",
                        fix: "one token a line, `NAME TOKEN`, e.g. `crm \(String(repeating: "0", count: 8))...`")
                }
            }
        } else if secret.ok, !secret.configured {
            diagnostics.warn(
                fields.node, "http",
                "no API tokens are configured, so the JSON API refuses every call (unsubscribe links, /metrics and"
                    + " /healthz still work)",
                fix: "set api_tokens_credential (systemd LoadCredential=) or api_tokens_file")
        }
        return settings
    }

    /// `127.0.0.1:8470`, `[::1]:8470` or `0.0.0.0:8470`: an IP literal and a port 0–65535.
    static func hostAndPort(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil && ($0 == "0" || !$0.hasPrefix("0")) })
            else { return nil }
        }
        guard let port = Int(portText), (0...65_535).contains(port), portText.allSatisfy(\.isNumber) else {
            return nil
        }
        return (String(host), port)
    }
}
