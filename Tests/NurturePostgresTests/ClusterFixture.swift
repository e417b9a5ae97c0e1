#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    @testable import NurturePostgres
    import NurtureTestSupport

    /// Several daemons' stores on one fresh database: the schema, enrollments made with psql (the set-up, not the
    /// code under test), and sends planned through the store.
    struct ClusterFixture {
        struct Failure: Error, CustomStringConvertible {
            let description: String
            init(_ description: String) { self.description = description }
        }

        static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }
        /// The scenarios' clock starts here (a whole second).
        static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

        let settings: PostgresSettings
        let stores: [PostgresStore]

        /// `count` stores, each a different daemon, on a new database with the schema applied.
        static func make(_ label: String, daemons count: Int, leaseSeconds: Int = 30) async throws -> ClusterFixture {
            var settings = try PostgresPeer.freshDatabase(label)
            settings.leaseSeconds = leaseSeconds
            let schema =
                [PostgresSchema.migrationsTable]
                + PostgresSchema.migrations.flatMap { migration in
                    migration.statements + [
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES"
                            + " (\(migration.version), '\(migration.name)', 0)"
                    ]
                }
            try PostgresPeer.psql(schema.joined(separator: ";\n"), database: settings.database)
            var stores: [PostgresStore] = []
            for index in 0..<count {
                let instance = DaemonInstance(
                    id: "host\(index)-\(100 + index)-0000000\(index)", host: "host\(index)", pid: Int32(100 + index),
                    startedAt: t0)
                stores.append(try PostgresStore.started(settings, instance: instance, logger: logger))
            }
            return ClusterFixture(settings: settings, stores: stores)
        }

        /// Stops every store's pool.
        func shutdown() async {
            for store in stores { await store.shutdown() }
        }

        /// `t0` plus `seconds`.
        static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

        /// Makes `count` active enrollments (leads `lead<n>@example<n % domains>.com`) and plans step `day-1` of
        /// each, due at `t0 + due`; returns the planned rows.
        func planSends(_ count: Int, due: Double = 0, domains: Int = 1) async throws -> [PlannedSend] {
            try PostgresPeer.psql(
                """
                INSERT INTO enrollments (lead_email, sequence, started_at, needs_plan)
                SELECT 'lead' || g || '@example' || (g % \(domains)) || '.com', 'welcome', 0, 1
                FROM generate_series(1, \(count)) AS g
                """, database: settings.database)
            let rows = try PostgresPeer.psql(
                "SELECT id, lead_email FROM enrollments ORDER BY id", database: settings.database)
            let sends = try rows.split(separator: "\n").map { line in
                let fields = line.split(separator: "|").map(String.init)
                guard fields.count == 2, let id = Int64(fields[0]) else { throw Failure("psql gave \(line)") }
                return NewPlannedSend(
                    enrollmentID: id, leadEmail: try EmailAddress(fields[1]), sequence: "welcome", step: "day-1",
                    stepNumber: 1, track: .marketing, dueAt: Self.at(due), nextAttemptAt: Self.at(due),
                    messageID: "<\(id).day-1@nurture.example>")
            }
            return try await stores[0].planAll(sends, at: Self.t0)
        }

        /// One value from psql.
        func scalar(_ sql: String) throws -> String {
            try PostgresPeer.psql(sql, database: settings.database)
        }
    }
#endif
