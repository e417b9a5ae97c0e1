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
        /// One connection of its own for the cluster loop (heartbeat and lease renewal, the leader lease, taking
        /// over expired leases), so that renewing this daemon's leases never waits behind its sends for a pooled
        /// connection. It counts on top of `pool_size`.
        let leaseClient: PostgresClient
        /// The TLS of every connection, `nil` for clear text (loopback or a Unix socket).
        let tlsConfiguration: TLSConfiguration?
        let logger: Logger
        /// The pool's task when started by ``started(_:instance:logger:)``.
        private let poolTask = Mutex<Task<Void, Never>?>(nil)

        /// The newest schema version this build knows; a database at a newer one is refused.
        package static let schemaVersion = PostgresSchema.migrations.last?.version ?? 0

        /// A store for `settings` whose pool is not running yet (run it with ``run()``).
        /// - Throws: `.failed` for clear text to a host that is not loopback, or a CA file that cannot be read.
        package init(settings: PostgresSettings, instance: DaemonInstance, logger: Logger) throws(StoreError) {
            self.settings = settings
            self.instance = instance
            self.logger = logger
            tlsConfiguration = try Self.tlsConfiguration(settings)
            var configuration =
                if let path = settings.unixSocketPath {
                    PostgresClient.Configuration(
                        unixSocketPath: path, username: settings.user, password: settings.password,
                        database: settings.database)
                } else {
                    PostgresClient.Configuration(
                        host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                        database: settings.database, tls: tlsConfiguration.map { .require($0) } ?? .disable)
                }
            configuration.options.maximumConnections = max(1, settings.poolSize)
            configuration.options.connectTimeout = Self.connectTimeout
            client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            configuration.options.maximumConnections = 1
            leaseClient = PostgresClient(configuration: configuration, backgroundLogger: logger)
        }

        /// How long opening one connection (TCP, TLS, authentication) may take.
        static let connectTimeout: Duration = .seconds(5)

        /// The TLS of a connection with `settings`: full certificate and host-name verification against the system's
        /// trust store plus `caFile`; `nil` (clear text) only for a Unix socket or a loopback host.
        static func tlsConfiguration(_ settings: PostgresSettings) throws(StoreError) -> TLSConfiguration? {
            if settings.unixSocketPath != nil { return nil }
            switch settings.tls {
            case .disable:
                guard settings.isLocal else {
                    throw StoreError(
                        .failed,
                        "\(settings): tls: disable is refused for host \(settings.host), which is not loopback: the"
                            + " password and every lead would cross the network in clear text. Set tls: require"
                            + " (with ca_file for a private CA), or connect through a Unix socket")
                }
                return nil
            case .require:
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .fullVerification
                if let caFile = settings.caFile {
                    guard FileManager.default.isReadableFile(atPath: caFile) else {
                        throw StoreError(
                            .failed,
                            "\(settings): ca_file \(caFile) cannot be read; give the path of a PEM bundle of the CA that"
                                + " signed the server's certificate, readable by this user")
                    }
                    configuration.additionalTrustRoots = [.file(caFile)]
                }
                return configuration
            }
        }

        /// Runs the connection pool and the cluster loop's connection until the task is cancelled.
        package func run() async throws {
            await runClients()
        }

        private func runClients() async {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.leaseClient.run() }
                await client.run()
            }
        }

        /// A store whose pool runs in a task of its own until ``shutdown()`` (tests, and commands that cannot
        /// scope it with ``withStore(_:instance:logger:_:)``).
        package static func started(
            _ settings: PostgresSettings, instance: DaemonInstance, logger: Logger
        ) throws(StoreError) -> PostgresStore {
            let store = try PostgresStore(settings: settings, instance: instance, logger: logger)
            store.poolTask.withLock { $0 = Task { await store.runClients() } }
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
