#if PostgreSQL
    import Foundation
    package import Logging
    package import NurtureCore
    import PostgresNIO
    import ServiceLifecycle
    import Synchronization

    /// The store port on PostgreSQL (docs/postgres.md): several daemons share one database; claims are leases,
    /// limits are reserved under transaction-scoped advisory locks, a leader lease row runs singleton work.
    ///
    /// The connection pool (`PostgresClient`) runs in ``run()``: a `Service` in the daemon's group; a command
    /// uses ``withStore(_:instance:logger:_:)``. Every method is one transaction.
    package final class PostgresStore: ClusterStore, Service {
        package let settings: PostgresSettings
        package let instance: DaemonInstance
        package var leaseDuration: Duration { .seconds(settings.leaseSeconds) }
        let client: PostgresClient
        let logger: Logger
        /// The pool's task when started by ``started(_:instance:logger:)``.
        private let poolTask = Mutex<Task<Void, Never>?>(nil)

        /// The newest schema version this build knows; a database at a newer one is refused.
        package static let schemaVersion = PostgresSchema.migrations.last?.version ?? 0

        package init(settings: PostgresSettings, instance: DaemonInstance, logger: Logger) throws(StoreError) {
            self.settings = settings
            self.instance = instance
            self.logger = logger
            let configuration = PostgresClient.Configuration(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                database: settings.database, tls: .disable)
            client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        }

        /// Runs the connection pool until the task is cancelled.
        package func run() async throws {
            await client.run()
        }

        /// Brings the schema up to ``schemaVersion`` (each migration in its own transaction, recorded in
        /// `schema_migrations`).
        /// - Throws: `.incompatible` when the database was migrated by a newer Nurture.
        /// - Returns: the versions applied now (empty when it was current).
        @discardableResult
        package func migrate() async throws(StoreError) -> [Int] {
            throw StoreError(.unavailable, "PostgresStore.migrate is not written yet")
        }

        /// A store whose pool runs in a task of its own until ``shutdown()`` (tests, and commands that cannot
        /// scope it with ``withStore(_:instance:logger:_:)``).
        package static func started(
            _ settings: PostgresSettings, instance: DaemonInstance, logger: Logger
        ) throws(StoreError) -> PostgresStore {
            let store = try PostgresStore(settings: settings, instance: instance, logger: logger)
            store.poolTask.withLock { $0 = Task { await store.client.run() } }
            return store
        }

        /// Stops the pool ``started(_:instance:logger:)`` started, and waits for it.
        package func shutdown() async {
            let task = poolTask.withLock { task in
                defer { task = nil }
                return task
            }
            task?.cancel()
            await task?.value
        }

        /// Opens a store, runs its pool for the duration of `body` (commands), and stops it.
        package static func withStore<T: Sendable>(
            _ settings: PostgresSettings, instance: DaemonInstance, logger: Logger,
            _ body: (PostgresStore) async throws -> T
        ) async throws -> T {
            let store = try PostgresStore(settings: settings, instance: instance, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                return try await body(store)
            }
        }
    }
#endif
