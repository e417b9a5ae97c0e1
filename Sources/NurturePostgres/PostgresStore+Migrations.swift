#if PostgreSQL
    import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// The key of the transaction-scoped advisory lock under which migrations run ("Nurture1"), so daemons
        /// starting together apply each migration once.
        static let migrationLock: Int64 = 0x4E75_7274_7572_6531

        /// Brings the schema up to ``schemaVersion``: under ``migrationLock``, in one transaction, creates
        /// `schema_migrations` when missing and applies each migration it does not record, in order.
        /// - Throws: `.incompatible` when the database was migrated by a newer Nurture (nothing is changed);
        ///   `.unavailable` when the database cannot be reached.
        /// - Returns: the versions applied now (empty when it was current).
        @discardableResult
        package func migrate() async throws(StoreError) -> [Int] {
            let now = Milliseconds.from(Date())
            return try await withDirectConnection("migrating the schema") { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    try await execute("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", on: connection)
                    try await execute(PostgresQuery(unsafeSQL: PostgresSchema.migrationsTable), on: connection)
                    let recorded = Set(try await recordedVersions(on: connection))
                    try checkNotNewer(recorded.max() ?? 0)
                    var applied: [Int] = []
                    for migration in PostgresSchema.migrations where !recorded.contains(migration.version) {
                        for statement in migration.statements {
                            try await execute(PostgresQuery(unsafeSQL: statement), on: connection)
                        }
                        try await execute(
                            """
                            INSERT INTO schema_migrations (version, name, applied_at)
                            VALUES (\(migration.version), \(migration.name), \(now))
                            """, on: connection)
                        applied.append(migration.version)
                    }
                    if !applied.isEmpty {
                        logger.info(
                            "store: migrated \(settings) to schema version \(Self.schemaVersion)",
                            metadata: ["applied": "\(applied.map(String.init).joined(separator: ","))"])
                    }
                    return applied
                }
            }
        }

        /// The newest schema version the database records (0 for an empty database) and the newest this build
        /// knows (``schemaVersion``), for `nurture store migrate` and the health check.
        package func schemaStatus() async throws(StoreError) -> (current: Int, known: Int) {
            let current = try await withDirectConnection("reading the schema version") { connection in
                let exists = try await count(
                    """
                    SELECT count(*) FROM pg_catalog.pg_tables
                    WHERE tablename = 'schema_migrations' AND schemaname = current_schema()
                    """, on: connection)
                guard exists > 0 else { return 0 }
                return try await recordedVersions(on: connection).max() ?? 0
            }
            return (current, Self.schemaVersion)
        }

        /// Refuses a database migrated by a newer Nurture.
        func checkNotNewer(_ current: Int) throws(StoreError) {
            guard current > Self.schemaVersion else { return }
            throw StoreError(
                .incompatible,
                "\(settings) has schema version \(current), newer than version \(Self.schemaVersion) that this"
                    + " Nurture knows: it was migrated by a newer Nurture. Upgrade Nurture on this machine (every"
                    + " daemon on one database runs the same version)")
        }

        private func recordedVersions(on connection: PostgresConnection) async throws -> [Int] {
            try await fetch("SELECT version FROM schema_migrations", on: connection, table: "schema_migrations") {
                row throws(StoreError) in try row.int("version")
            }
        }

        /// Runs `body` on a connection of its own, outside the pool, closed after: a failure to connect or to log in
        /// is reported at once with its cause (the pool retries for a minute and then reports no cause).
        func withDirectConnection<T: Sendable>(
            _ action: String, _ body: (PostgresConnection) async throws -> T
        ) async throws(StoreError) -> T {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try connectionConfiguration(), id: 0, logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.close()
                    return result
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch {
                throw storeError(error, action: action)
            }
        }

        /// The configuration of a single connection with the store's settings.
        private func connectionConfiguration() throws -> PostgresConnection.Configuration {
            var configuration: PostgresConnection.Configuration
            if let path = settings.unixSocketPath {
                configuration = .init(
                    unixSocketPath: path, username: settings.user, password: settings.password,
                    database: settings.database)
            } else {
                let tls: PostgresConnection.Configuration.TLS =
                    try tlsConfiguration.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable
                configuration = .init(
                    host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                    database: settings.database, tls: tls)
            }
            configuration.options.connectTimeout = .seconds(Int64(Self.connectTimeout.components.seconds))
            return configuration
        }
    }
#endif
