import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureSQLite

#if PostgreSQL
    import Logging
    import NurturePostgres
#endif

/// Where the store is: the file named by `state.store`, in the directory given by `--state-dir`, else the one
/// systemd sets in `STATE_DIRECTORY` (`StateDirectory=` in the unit), else the configured path.
enum StoreLocation {
    static func path(
        for configuration: NurtureConfiguration, stateDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        let name = URL(fileURLWithPath: configuration.storePath).lastPathComponent
        if let stateDirectory, !stateDirectory.isEmpty {
            return URL(fileURLWithPath: stateDirectory).appendingPathComponent(name).path
        }
        guard let directory = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !directory.isEmpty else {
            return configuration.storePath
        }
        return URL(fileURLWithPath: String(directory)).appendingPathComponent(name).path
    }

    /// Loads the configuration, printing its problems and failing when it is unusable.
    static func configuration(file: String) throws -> NurtureConfiguration {
        do {
            return try ConfigurationLoader().load(file: file)
        } catch {
            for problem in error.problems { printError("\(problem)") }
            throw ExitCode.failure
        }
    }

    /// A store opened for a command, and how messages name it (the file, or the database without its password).
    struct Opened {
        let store: any SendStore
        let name: String
    }

    /// Loads the configuration, opens its store (the SQLite file, or the PostgreSQL database of
    /// `configuration.database`) for the duration of `body`, and closes it; prints the problems and fails when
    /// either is unusable.
    ///
    /// With `.readOnly` (the commands that only read: `status`, `why`, `log`, `leads show`, `leads list`,
    /// `render`) a SQLite store that does not exist is an error naming the path, and nothing is created or
    /// migrated. With `.readWrite` a PostgreSQL database is migrated first, as opening a SQLite file does.
    static func withStore<T: Sendable>(
        config file: String, stateDirectory: String? = nil, access: SQLiteStore.Access = .readWrite,
        _ body: (NurtureConfiguration, Opened) async throws -> T
    ) async throws -> T {
        let configuration = try configuration(file: file)
        if let database = configuration.database {
            return try await withPostgres(database, configuration: configuration, access: access, body)
        }
        let path = path(for: configuration, stateDirectory: stateDirectory)
        if access == .readOnly, !FileManager.default.fileExists(atPath: path) {
            printError(
                "no store at \(path): the database file does not exist, and this command only reads it (nothing"
                    + " was created). Point it at the daemon's store with --state-dir DIR, or with `state.directory`"
                    + " and `state.store` in \(file) (under systemd, STATE_DIRECTORY); `nurture run` or"
                    + " `nurture leads add` creates a new store")
            throw ExitCode.failure
        }
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: path, access: access)
        } catch {
            printError("cannot open the store \(path): \(error)")
            throw ExitCode.failure
        }
        return try await body(configuration, Opened(store: store, name: path))
    }

    /// Runs `body` with the PostgreSQL store of `settings` (its pool runs meanwhile).
    private static func withPostgres<T: Sendable>(
        _ settings: PostgresSettings, configuration: NurtureConfiguration, access: SQLiteStore.Access,
        _ body: (NurtureConfiguration, Opened) async throws -> T
    ) async throws -> T {
        #if PostgreSQL
            let instance = DaemonInstance.current(host: ProcessInfo.processInfo.hostName, pid: getpid(), at: Date())
            do {
                return try await PostgresStore.withStore(settings, instance: instance, logger: commandLogger) { store in
                    do {
                        if access == .readWrite {
                            try await store.migrate()
                        } else {
                            try await checkSchema(store)
                        }
                    } catch {
                        printError("cannot open the store \(settings): \(error)")
                        throw ExitCode.failure
                    }
                    return try await body(configuration, Opened(store: store, name: settings.description))
                }
            } catch let error as StoreError {
                printError("cannot open the store \(settings): \(error)")
                throw ExitCode.failure
            }
        #else
            printError(
                "\(configuration.file) names a PostgreSQL store (\(settings)), but this nurture was built without"
                    + " PostgreSQL support; use a build with the PostgreSQL trait (the default), or a SQLite store")
            throw ExitCode.failure
        #endif
    }

    #if PostgreSQL
        /// For the read-only commands, which never migrate: refuses a database without Nurture's tables or with a
        /// schema this version does not know, saying what to do.
        private static func checkSchema(_ store: PostgresStore) async throws(StoreError) {
            let version = try await store.recordedSchemaVersion()
            if version == 0 {
                throw StoreError(
                    .notFound,
                    "the database has no Nurture tables yet, and this command only reads it (nothing was created);"
                        + " run `nurture store migrate`, or start a daemon on it")
            }
            if version > PostgresStore.schemaVersion {
                throw StoreError(
                    .incompatible,
                    "the database is at schema version \(version), newer than this Nurture knows"
                        + " (\(PostgresStore.schemaVersion)); upgrade Nurture")
            }
        }

        /// The store's own log lines in a command: only its errors, on standard error.
        static var commandLogger: Logger {
            var logger = Logger(label: "nurture.store")
            logger.logLevel = .error
            return logger
        }
    #endif
}

/// `--state-dir DIR`: the directory holding the store, in place of the configured `state.directory`.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "The directory holding the store (the file named by state.store), in place of state.directory in the"
                + " configuration and of $STATE_DIRECTORY.", valueName: "dir"))
    var path: String?
}
