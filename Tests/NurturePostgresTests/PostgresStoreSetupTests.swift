#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Opening the PostgreSQL store: versioned migrations (once, also when daemons start together; a newer schema
    /// refused), clear text refused off loopback, and connection failures that name the database but never the
    /// password.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct PostgresStoreSetupTests {
        static let t0 = StoreContract.t0

        static func store(_ settings: PostgresSettings, _ name: String = "setup") throws -> PostgresStore {
            try PostgresStore.started(
                settings, instance: .current(host: name, pid: 1, at: t0), logger: Logger(label: "setup"))
        }

        @Test func migratingTwiceChangesNothing() async throws {
            let settings = try PostgresPeer.freshDatabase("migratetwice")
            let store = try Self.store(settings)
            #expect(try await store.migrate() == Array(1...PostgresStore.schemaVersion))
            #expect(try await store.migrate() == [])
            let status = try await store.schemaStatus()
            #expect(status.current == PostgresStore.schemaVersion && status.known == PostgresStore.schemaVersion)
            #expect(
                try PostgresPeer.psql("SELECT count(*) FROM schema_migrations", database: settings.database)
                    == "\(PostgresStore.schemaVersion)")
            #expect(try await store.leadCount() == 0)
            await store.shutdown()
        }

        @Test func anEmptyDatabaseIsAtVersionZero() async throws {
            let settings = try PostgresPeer.freshDatabase("empty")
            let store = try Self.store(settings)
            let status = try await store.schemaStatus()
            await store.shutdown()
            #expect(status.current == 0 && status.known == PostgresStore.schemaVersion)
        }

        @Test func daemonsMigratingTogetherApplyTheSchemaOnce() async throws {
            let settings = try PostgresPeer.freshDatabase("migratetogether")
            let stores = try (1...3).map { try Self.store(settings, "daemon\($0)") }
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for store in stores { await store.shutdown() }
            #expect(applied.flatMap { $0 } == Array(1...PostgresStore.schemaVersion))
            #expect(
                try PostgresPeer.psql("SELECT count(*) FROM schema_migrations", database: settings.database)
                    == "\(PostgresStore.schemaVersion)")
            #expect(
                try PostgresPeer.psql(
                    "SELECT count(*) FROM pg_tables WHERE tablename = 'leads'", database: settings.database) == "1")
        }

        @Test func aSchemaNewerThanThisBuildIsRefused() async throws {
            let settings = try PostgresPeer.freshDatabase("newer")
            let store = try Self.store(settings)
            try await store.migrate()
            let newer = PostgresStore.schemaVersion + 1
            try PostgresPeer.psql(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(newer), 'future', 0)",
                database: settings.database)
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            let status = try await store.schemaStatus()
            await store.shutdown()
            #expect(error?.code == .incompatible)
            #expect(error?.message.contains("schema version \(newer)") == true)
            #expect(error?.message.contains("version \(PostgresStore.schemaVersion)") == true)
            #expect(error?.message.contains("Upgrade Nurture") == true)
            #expect(status.current == newer)
        }

        @Test func clearTextToARemoteHostIsRefused() throws {
            let settings = PostgresSettings(host: "db.example.com", user: "nurture", database: "nurture", tls: .disable)
            let error = #expect(throws: StoreError.self) {
                try PostgresStore(
                    settings: settings, instance: .current(host: "t", pid: 1, at: Self.t0), logger: Logger(label: "t"))
            }
            #expect(error?.code == .failed)
            #expect(error?.message.contains("tls: disable") == true)
            #expect(error?.message.contains("db.example.com") == true)
            // Loopback and a Unix socket may go without TLS; a remote host with TLS is accepted (nothing connects yet).
            for allowed in [
                PostgresSettings(host: "127.0.0.1", user: "n", database: "d", tls: .disable),
                PostgresSettings(host: "::1", user: "n", database: "d", tls: .disable),
                PostgresSettings(
                    unixSocketPath: "/run/postgresql/.s.PGSQL.5432", user: "n", database: "d", tls: .disable),
                PostgresSettings(host: "db.example.com", user: "n", database: "d", tls: .require),
            ] {
                _ = try PostgresStore(
                    settings: allowed, instance: .current(host: "t", pid: 1, at: Self.t0), logger: Logger(label: "t"))
            }
        }

        @Test func anUnreadableCAFileIsRefused() throws {
            let settings = PostgresSettings(
                host: "db.example.com", user: "nurture", database: "nurture", tls: .require,
                caFile: "/nonexistent/nurture-ca.pem")
            let error = #expect(throws: StoreError.self) {
                try PostgresStore(
                    settings: settings, instance: .current(host: "t", pid: 1, at: Self.t0), logger: Logger(label: "t"))
            }
            #expect(error?.message.contains("ca_file /nonexistent/nurture-ca.pem") == true)
        }

        @Test func aWrongPortIsUnavailableAndNamesTheDatabaseWithoutThePassword() async throws {
            var settings = try PostgresPeer.freshDatabase("wrongport")
            settings.port = try LoopbackPorts.find()
            settings.password = "correct-horse-battery"
            let store = try Self.store(settings)
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            await store.shutdown()
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains(settings.description) == true)
            #expect(error?.message.contains("correct-horse-battery") == false)
        }

        @Test func aRefusedLoginIsUnavailableAndNamesTheDatabaseWithoutThePassword() async throws {
            var settings = try PostgresPeer.freshDatabase("wronguser")
            settings.user = "nobody_\(UInt32.random(in: 0 ... .max))"
            settings.password = "correct-horse-battery"
            let store = try Self.store(settings)
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            await store.shutdown()
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("login refused") == true)
            #expect(error?.message.contains(settings.description) == true)
            #expect(error?.message.contains("correct-horse-battery") == false)
        }

        @Test func aWrongPasswordIsUnavailableAndNamesTheDatabaseWithoutThePassword() async throws {
            var settings = try PostgresPeer.freshDatabase("wrongpassword")
            settings.user = try Self.passwordRole(password: "the-right-one")
            settings.password = "correct-horse-battery"
            let store = try Self.store(settings)
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            await store.shutdown()
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("login refused") == true)
            #expect(error?.message.contains(settings.description) == true)
            #expect(error?.message.contains("correct-horse-battery") == false)
            #expect(error?.message.contains("the-right-one") == false)
            // The right password logs in: the refusal above was the password's.
            settings.password = "the-right-one"
            let right = try Self.store(settings)
            let status = try await right.schemaStatus()
            await right.shutdown()
            #expect(status.current == 0)
        }

        /// A new login role with `password` that the throwaway cluster (trust authentication for everyone else)
        /// checks with SCRAM: a line for it alone goes first in `pg_hba.conf`, then the server reloads it.
        static func passwordRole(password: String) throws -> String {
            let role = "nurture_pw_\(UInt32.random(in: 0 ... .max))"
            try PostgresPeer.psql("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'", database: "postgres")
            // Read first: COPY ... TO empties the file before its query runs.
            let file = try PostgresPeer.psql("SHOW hba_file", database: "postgres")
            let existing = try PostgresPeer.psql(
                "SELECT pg_read_file(current_setting('hba_file'))", database: "postgres")
            let text =
                "host all \(role) 127.0.0.1/32 scram-sha-256\n" + existing.replacingOccurrences(of: "\t", with: " ")
            let literal = text.replacingOccurrences(of: "'", with: "''")
            try PostgresPeer.psql(
                "COPY (SELECT regexp_split_to_table('\(literal)', E'\\n')) TO '\(file)'", database: "postgres")
            let loaded = try PostgresPeer.psql("SELECT pg_conf_load_time()", database: "postgres")
            try PostgresPeer.psql("SELECT pg_reload_conf()", database: "postgres")
            // The reload is asynchronous: a new session sees a new load time once it is in force.
            for _ in 0..<100 where try PostgresPeer.psql("SELECT pg_conf_load_time()", database: "postgres") == loaded {
                Thread.sleep(forTimeInterval: 0.05)
            }
            return role
        }

        @Test func oneHundredThousandLeadsInOneCall() async throws {
            let settings = try PostgresPeer.freshDatabase("bulk")
            let store = try Self.store(settings)
            try await store.migrate()
            let leads = try (0..<100_000).map { index in
                NewLead(
                    lead: Lead(email: try EmailAddress("lead\(index)@bulk.example"), attributes: ["n": "\(index)"]),
                    audit: [],
                    sequence: index % 10 == 0 ? "welcome" : nil)
            }
            let created = try await store.createLeads(
                leads, cursor: nil, keying: StoreContract.keying, at: Self.t0)
            let resaved = try await store.saveLeads(leads.map(\.lead), at: Self.t0.addingTimeInterval(60))
            let count = try await store.leadCount()
            let last = try await store.leads([try EmailAddress("LEAD99999@bulk.example")])
            await store.shutdown()
            #expect(created == 100_000)
            #expect(resaved == 0)
            #expect(count == 100_000)
            #expect(last.first?.attributes == ["n": "99999"])
            #expect(
                try PostgresPeer.psql(
                    "SELECT count(*) FROM enrollments WHERE ended_at IS NULL", database: settings.database) == "10000")
            #expect(
                try PostgresPeer.psql(
                    "SELECT count(*) FROM lead_audit WHERE kind = 'enrolled'", database: settings.database) == "10000")
        }
    }
#endif
