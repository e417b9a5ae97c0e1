import Foundation
import NurtureCore
import Testing

@testable import NurtureConfig

@Suite("The PostgreSQL store's configuration (state.store URL, database section)")
struct DatabaseConfigTests {
    static let shippedStore = "  store: nurture.sqlite        # relative to the state directory\n"

    /// The shipped configuration with `state.store` replaced by `store` (when given) and `section` appended.
    static func config(store: String? = nil, section: String = "") -> String {
        let text = ConfigFixtures.shipped(replacing: shippedStore, with: store.map { "  store: \($0)\n" } ?? "")
        return text + (section.isEmpty ? "" : "\n" + section)
    }

    static func load(_ text: String, environment: [String: String] = [:]) throws -> NurtureConfiguration {
        try ConfigFixtures.withConfig(text, environment: environment) { file, loader in try loader.load(file: file) }
    }

    /// A password file, mode `mode`, in a fresh directory; removed by the caller's `defer`.
    static func passwordFile(_ password: String, mode: Int) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("db-password")
        try (password + "\n").write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file
    }

    @Test(
        "URLs",
        arguments: [
            (
                "postgres://nurture@db.example.com:5433/crm",
                PostgresURL(user: "nurture", host: "db.example.com", port: 5433, database: "crm")
            ),
            ("postgresql://db.example.com/crm", PostgresURL(host: "db.example.com", database: "crm")),
            (
                "postgres://n%40x@[::1]:5432/my%20db?sslmode=disable",
                PostgresURL(user: "n@x", host: "::1", port: 5432, database: "my db", tls: .disable)
            ),
            (
                "postgres://u@h/d?sslmode=verify-full",
                PostgresURL(user: "u", host: "h", database: "d", tls: .require)
            ),
            ("postgres://u@h?sslmode=require", PostgresURL(user: "u", host: "h", tls: .require)),
        ])
    func urls(text: String, expected: PostgresURL) throws {
        #expect(try PostgresURL.parse(text).get() == expected)
    }

    @Test(
        "bad URLs, never quoted back",
        arguments: [
            ("postgres://nurture:s3cret@db/crm", PostgresURL.Problem.password),
            ("postgres://nurture:@db/crm", .password),
            ("postgres:///crm", .noHost),
            ("postgres://u@db:0/crm", .badPort("0")),
            ("postgres://u@db:54x/crm", .badPort("54x")),
            ("postgres://u@db/crm?sslmode=prefer", .badSSLMode("prefer")),
            ("postgres://u@db/crm?application_name=x", .badQuery("application_name")),
            ("mysql://u@db/crm", .notPostgres),
        ])
    func badURLs(text: String, problem: PostgresURL.Problem) {
        #expect(PostgresURL.parse(text) == .failure(problem))
        #expect(!problem.description.contains("s3cret"))
    }

    @Test("no URL and no database section: the SQLite store, as before")
    func sqliteByDefault() throws {
        let configuration = try Self.load(ConfigFixtures.shippedText)
        #expect(configuration.database == nil)
        #expect(configuration.storePath.hasSuffix("/state/nurture.sqlite"))
    }

    @Test("a URL alone selects PostgreSQL with TLS required and the default pool and lease")
    func urlAlone() throws {
        let configuration = try Self.load(Self.config(store: "postgres://nurture@db.example.com:5432/nurture"))
        #expect(
            configuration.database
                == PostgresSettings(host: "db.example.com", port: 5432, user: "nurture", database: "nurture"))
        #expect(configuration.database?.tls == .require)
        #expect(configuration.storePath.hasSuffix("/state/nurture.sqlite"))
    }

    @Test("the section completes the URL: password file, CA file, pool size, lease; the password is never described")
    func urlAndSection() throws {
        let file = try Self.passwordFile("pg-pass-123", mode: 0o600)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let configuration = try Self.load(
            Self.config(
                store: "postgres://nurture@db.example.com/nurture",
                section: """
                    database:
                      password_file: \(file.path)
                      ca_file: /etc/nurture/db-ca.pem
                      host: db.example.com
                      pool_size: 4
                      lease_seconds: 60
                    """))
        let settings = try #require(configuration.database)
        #expect(settings.password == "pg-pass-123")
        #expect(settings.caFile == "/etc/nurture/db-ca.pem")
        #expect(settings.poolSize == 4 && settings.leaseSeconds == 60)
        #expect(settings.description == "postgres://nurture@db.example.com:5432/nurture")
        #expect(!"\(settings)".contains("pg-pass-123"))
        #expect(!configuration.warnings.contains { $0.field.hasPrefix("database") })
    }

    @Test("a section alone: host or a Unix socket directory")
    func sectionAlone() throws {
        let tcp = try Self.load(
            Self.config(section: "database:\n  host: 127.0.0.1\n  port: 5999\n  user: n\n  name: crm\n  tls: disable\n")
        )
        #expect(
            tcp.database == PostgresSettings(host: "127.0.0.1", port: 5999, user: "n", database: "crm", tls: .disable))
        let socket = try Self.load(
            Self.config(section: "database:\n  socket: /run/postgresql\n  user: n\n  name: crm\n  tls: disable\n"))
        #expect(socket.database?.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(socket.database?.isLocal == true)
        #expect(ConfigParser.socketFile("/tmp/pg/.s.PGSQL.6000", port: 5432) == "/tmp/pg/.s.PGSQL.6000")
    }

    @Test("a password in the URL is refused at its line, without quoting it")
    func passwordInURL() {
        let text = Self.config(store: "postgres://nurture:hunter22@db.example.com/nurture")
        let problems = ConfigFixtures.problems(text)
        #expect(problems.count == 1)
        let problem = problems.first
        #expect(problem?.field == "state.store")
        #expect(problem?.line == ConfigFixtures.line(of: "  store: postgres://", in: text))
        #expect(problem?.description.contains("use database.password_file") == true)
        #expect(problem?.description.contains("hunter22") == false)
    }

    @Test("clear text to a remote host is refused, from the section or the URL's sslmode")
    func clearTextRemote() {
        let section = Self.config(
            store: "postgres://nurture@db.example.com/nurture", section: "database:\n  tls: disable\n")
        let problems = ConfigFixtures.problems(section)
        #expect(problems.map(\.field) == ["database.tls"])
        #expect(
            problems.first?.description.contains(
                "clear text to db.example.com") == true)
        #expect(
            problems.first?.description.contains("use tls: require, or connect over loopback or a Unix socket") == true)
        let url = ConfigFixtures.problems(
            Self.config(store: "postgres://nurture@db.example.com/nurture?sslmode=disable"))
        #expect(url.map(\.field) == ["state.store"])
        #expect(url.first?.description.contains("clear text to db.example.com") == true)
    }

    @Test("a URL and a conflicting host, port or socket name the section's line")
    func conflicts() {
        let text = Self.config(
            store: "postgres://nurture@db.example.com:5432/nurture",
            section: "database:\n  host: db2.example.com\n  port: 5433\n")
        let problems = ConfigFixtures.problems(text)
        #expect(problems.map(\.field) == ["database.host", "database.port"])
        #expect(problems.first?.line == ConfigFixtures.line(of: "  host: db2.example.com", in: text))
        #expect(problems.first?.description.contains("conflicts with `db.example.com`") == true)
        let socket = ConfigFixtures.problems(
            Self.config(store: "postgres://n@db.example.com/x", section: "database:\n  socket: /run/postgresql\n"))
        #expect(socket.map(\.field) == ["database.socket"])
    }

    @Test("unknown keys, bad ports and values out of range are each reported")
    func badValues() {
        let problems = ConfigFixtures.problems(
            Self.config(
                section: """
                    database:
                      host: db.example.com
                      user: n
                      name: crm
                      port: 70000
                      pool_size: 0
                      lease_seconds: 5
                      tls: prefer
                      passwd_file: /x
                    """))
        #expect(
            Set(problems.map(\.field))
                == [
                    "database.port", "database.pool_size", "database.lease_seconds", "database.tls",
                    "database.passwd_file",
                ])
        #expect(problems.contains { $0.description.contains("unknown key `passwd_file`") })
        #expect(problems.contains { $0.description.contains("`5` is not a whole number from 10 to 600") })
    }

    @Test("missing parts: a section without host, a URL without user or database, a SQLite file and a host")
    func missingParts() {
        #expect(
            ConfigFixtures.problems(Self.config(section: "database:\n  user: n\n  name: crm\n")).map(\.field)
                == ["database"])
        #expect(
            ConfigFixtures.problems(Self.config(store: "postgres://db.example.com/crm")).map(\.field) == ["state.store"]
        )
        #expect(
            ConfigFixtures.problems(Self.config(section: "database:\n  host: db.example.com\n  user: n\n")).map(\.field)
                == ["database.name"])
        let both = ConfigFixtures.problems(
            Self.config(store: "crm.sqlite", section: "database:\n  host: db.example.com\n  user: n\n  name: crm\n"))
        #expect(both.map(\.field) == ["state.store"])
    }

    @Test("a password file others can read is a warning, as for every secret file")
    func sharedPasswordFile() throws {
        let file = try Self.passwordFile("pg-pass-123", mode: 0o644)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let configuration = try Self.load(
            Self.config(
                store: "postgres://nurture@db.example.com/nurture",
                section: "database:\n  password_file: \(file.path)\n"))
        let warning = configuration.warnings.first { $0.field == "database.password_file" }
        #expect(warning?.description.contains("can be read by every user on this machine") == true)
        #expect(warning?.description.contains("pg-pass-123") == false)
    }

    @Test("the password from a systemd credential")
    func credential() throws {
        let file = try Self.passwordFile("cred-pass", mode: 0o600)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let configuration = try Self.load(
            Self.config(
                store: "postgres://nurture@db.example.com/nurture",
                section: "database:\n  password_credential: db-password\n"),
            environment: ["CREDENTIALS_DIRECTORY": file.deletingLastPathComponent().path])
        #expect(configuration.database?.password == "cred-pass")
    }
}
