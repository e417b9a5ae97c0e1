import NurtureSMTP
internal import Yams

/// The `relay:` section, also used for a salesperson's own `relay:`.
extension ConfigParser {
    static let relayKeys = [
        "host", "port", "security", "username", "password_file", "password_credential", "ca_file", "helo_name",
        "connect_timeout_seconds", "reply_timeout_seconds", "pool_size",
    ]

    /// A relay configuration; `nil` when a required part is unusable.
    func relayConfiguration(_ fields: Fields) -> RelayConfiguration? {
        let host = diagnostics.text(fields, "host", required: true, example: "smtp.example.com")
        let security = diagnostics.choice(
            fields, "security", RelayConfiguration.Security.allCases.map(\.rawValue)
        )
        .flatMap(RelayConfiguration.Security.init(rawValue:))
        let defaultPort = security == .implicitTLS ? 465 : 587
        let port = diagnostics.integer(fields, "port", in: 1...65_535)
        let username = diagnostics.text(fields, "username", example: "nurture@example.com")
        let password = secret(fields, fileKey: "password_file", credentialKey: "password_credential")
        let caFile = diagnostics.text(fields, "ca_file", example: "/etc/ssl/private-ca.pem").map(resolve)
        let helo = diagnostics.text(fields, "helo_name", example: "mail.example.com")
        let connect = diagnostics.integer(fields, "connect_timeout_seconds", in: 1...3_600)
        let reply = diagnostics.integer(fields, "reply_timeout_seconds", in: 1...3_600)
        let pool = diagnostics.integer(fields, "pool_size", in: 1...64)

        if password.configured, password.ok, username == nil {
            diagnostics.report(
                fields.node, fields.path("username"), "a password is configured but no username",
                fix: "add `username:` (the SMTP AUTH login), or remove the password")
        }
        let resolvedSecurity = security ?? .startTLS
        if let host, resolvedSecurity == .plain, !Self.isLoopback(host) {
            if password.configured {
                diagnostics.report(
                    fields["security"], fields.path("security"),
                    "`security: none` would send the password in clear to \(host)",
                    fix: "use `security: starttls` (port 587) or `security: tls` (port 465)")
            } else {
                diagnostics.warn(
                    fields["security"], fields.path("security"), "mail to \(host) travels unencrypted",
                    fix: "use `security: starttls` unless the relay is on a trusted network")
            }
        }
        guard let host, fields["security"] == nil || security != nil, password.ok,
            !(password.configured && username == nil), fields["port"] == nil || port != nil,
            fields["pool_size"] == nil || pool != nil,
            fields["connect_timeout_seconds"] == nil || connect != nil,
            fields["reply_timeout_seconds"] == nil || reply != nil
        else { return nil }
        return RelayConfiguration(
            host: host, port: port ?? defaultPort, security: resolvedSecurity, username: username,
            password: password.value, caFile: caFile, heloName: helo, connectTimeout: .seconds(connect ?? 30),
            replyTimeout: .seconds(reply ?? 600), poolSize: pool ?? 2)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
