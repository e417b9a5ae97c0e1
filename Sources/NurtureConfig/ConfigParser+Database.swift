import Foundation
import NurtureCore
import NurtureSMTP
internal import Yams

/// The PostgreSQL store's location: a `postgres://` URL in `state.store`, the `database:` section, or both (the
/// URL says where, the section adds the password, TLS, pool size and lease). docs/configuration.md, "database".
extension ConfigParser {
    static let databaseKeys = [
        "host", "socket", "port", "user", "name", "password_file", "password_credential", "tls", "ca_file",
        "pool_size", "lease_seconds",
    ]

    /// The `state.store` value as written, when it is a PostgreSQL URL (its node places the URL's problems).
    struct StoreURL {
        let text: String
        let node: Node?
    }

    /// The PostgreSQL settings, or `nil` for the SQLite store (or when problems were reported).
    /// - Parameters:
    ///   - url: `state.store` when it starts with `postgres://` or `postgresql://`.
    ///   - storeFileNode: `state.store` when it names a SQLite file explicitly.
    func databaseSection(_ top: Fields, url: StoreURL?, storeFileNode: Node?) -> PostgresSettings? {
        let fields = top["database"].flatMap { diagnostics.fields($0, path: "database", allowed: Self.databaseKeys) }
        guard url != nil || fields != nil else { return nil }
        var parsed: PostgresURL?
        if let url {
            switch PostgresURL.parse(url.text) {
            case .success(let value): parsed = value
            case .failure(let problem):
                let fix =
                    problem == .password
                    ? "remove the password from the URL and use database.password_file (or database.password_credential)"
                    : "write postgres://USER@HOST:PORT/DATABASE, e.g. postgres://nurture@db.example.com:5432/nurture"
                diagnostics.report(url.node, "state.store", problem.description, fix: fix)
                return nil
            }
        }
        let located = fields.map { $0.has("host") || $0.has("socket") } ?? false
        if parsed == nil, !located {
            if let fields {
                diagnostics.report(
                    fields.node, "database", "the database section names no host or socket",
                    fix: "add `host: db.example.com` (or `socket: /run/postgresql`), or put"
                        + " `store: postgres://USER@HOST:PORT/DATABASE` under state")
            }
            return nil
        }
        if let storeFileNode, parsed == nil {
            diagnostics.report(
                storeFileNode, "state.store",
                "state.store names a SQLite file while `database` names a PostgreSQL server",
                fix: "keep one: remove state.store to use PostgreSQL, or the database section to use the SQLite file")
            return nil
        }
        return settings(url: parsed, urlNode: url?.node, fields: fields)
    }

    /// Combines the URL's parts and the section's keys, reporting conflicts and unsafe choices.
    private func settings(url: PostgresURL?, urlNode: Node?, fields: Fields?) -> PostgresSettings? {
        let section = fields ?? Fields(node: urlNode ?? .scalar(.init("")), path: "database", entries: [:])
        let problemsBefore = diagnostics.problems.count
        /// The section's value of `key`, or the URL's; a problem when both are given and differ.
        func merged(_ key: String, _ fromURL: String?, _ fromSection: String?) -> String? {
            if let fromURL, let fromSection, fromURL != fromSection {
                diagnostics.report(
                    section[key], section.path(key),
                    "`\(fromSection)` conflicts with `\(fromURL)` in the state.store URL",
                    fix: "say it once: remove database.\(key), or change the URL")
                return nil
            }
            return fromSection ?? fromURL
        }
        let socket = diagnostics.text(section, "socket", example: "/run/postgresql").map(resolve)
        if socket != nil, url != nil || section.has("host") {
            diagnostics.report(
                section["socket"], section.path("socket"), "both a host and a socket are set",
                fix: "keep one: `socket` for a local server over a Unix socket, a host (URL or `host`) for TCP")
        }
        let host = merged("host", url?.host, diagnostics.text(section, "host", example: "db.example.com"))
        let port = merged(
            "port", url?.port.map(String.init), diagnostics.integer(section, "port", in: 1...65_535).map(String.init))
        let user = merged("user", url?.user, diagnostics.text(section, "user", example: "nurture"))
        let name = merged("name", url?.database, diagnostics.text(section, "name", example: "nurture"))
        let tls = merged("tls", url?.tls?.rawValue, diagnostics.choice(section, "tls", ["require", "disable"]))
        let caFile = diagnostics.text(section, "ca_file", example: "/etc/nurture/db-ca.pem").map(resolve)
        let poolSize = diagnostics.integer(section, "pool_size", in: 1...200)
        let leaseSeconds = diagnostics.integer(section, "lease_seconds", in: 10...600)
        let password = secret(section, fileKey: "password_file", credentialKey: "password_credential")
        if user == nil, !section.has("user") {
            report(missing: "user", in: section, urlNode: url == nil ? nil : urlNode, example: "nurture")
        }
        if name == nil, !section.has("name") {
            report(missing: "name", in: section, urlNode: url == nil ? nil : urlNode, example: "nurture")
        }
        guard diagnostics.problems.count == problemsBefore, let user, let name, host != nil || socket != nil else {
            return nil
        }
        let portNumber = port.flatMap(Int.init) ?? 5432
        var settings = PostgresSettings(
            host: host ?? "localhost", port: portNumber,
            unixSocketPath: socket.map { Self.socketFile($0, port: portNumber) },
            user: user, database: name, password: password.value?.value,
            tls: tls.flatMap(PostgresSettings.TLS.init) ?? .require, caFile: caFile)
        settings.poolSize = poolSize ?? settings.poolSize
        settings.leaseSeconds = leaseSeconds ?? settings.leaseSeconds
        guard settings.tls == .require || settings.isLocal else {
            let inSection = section["tls"] != nil
            diagnostics.report(
                inSection ? section["tls"] : urlNode, inSection ? section.path("tls") : "state.store",
                "clear text to \(settings.host): the password and every lead's address would cross the network"
                    + " unencrypted",
                fix: "use tls: require, or connect over loopback or a Unix socket")
            return nil
        }
        return settings
    }

    /// The socket file for `path`: a directory (`/run/postgresql`) gets `.s.PGSQL.<port>` appended, as libpq does; a
    /// path whose last component starts with `.s.PGSQL.` is the socket file itself.
    static func socketFile(_ path: String, port: Int) -> String {
        let url = URL(fileURLWithPath: path)
        return url.lastPathComponent.hasPrefix(".s.PGSQL.") ? path : url.appendingPathComponent(".s.PGSQL.\(port)").path
    }

    /// Reports a required part neither the URL (when `urlNode` is set) nor the section gives.
    private func report(missing key: String, in section: Fields, urlNode: Node?, example: String) {
        guard let urlNode else {
            diagnostics.missing(section, key, example: example)
            return
        }
        diagnostics.report(
            urlNode, "state.store", "the URL names no \(key == "name" ? "database" : key)",
            fix: "write postgres://USER@HOST:PORT/DATABASE, or add `\(key): \(example)` under database")
    }
}
