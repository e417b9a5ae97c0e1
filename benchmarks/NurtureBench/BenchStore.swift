import Foundation
import NurtureConfig
import NurtureCore
import NurtureSQLite

#if PostgreSQL
    import Logging
    import NurturePostgres
#endif

/// The configuration's store for the benchmark commands: the SQLite file at `storePath`, or, with a
/// `database:` (`state.store: postgres://...`), the PostgreSQL store, migrated first, its pool running for the
/// duration of `body`.
enum BenchStore {
    /// Opens the store `configuration` names and runs `body` with it.
    static func with<T: Sendable>(
        _ configuration: NurtureConfiguration, _ body: (any SendStore) async throws -> T
    ) async throws -> T {
        guard let settings = configuration.database else {
            return try await body(try SQLiteStore(path: configuration.storePath))
        }
        #if PostgreSQL
            var logger = Logger(label: "nurture-bench")
            logger.logLevel = .warning
            let instance = DaemonInstance.current(
                host: ProcessInfo.processInfo.hostName, pid: getpid(), at: Date())
            return try await PostgresStore.withStore(settings, instance: instance, logger: logger) { store in
                try await store.migrate()
                return try await body(store)
            }
        #else
            _ = settings
            throw SeedError("this nurture-bench was built without the PostgreSQL trait; the store is \(settings)")
        #endif
    }
}
