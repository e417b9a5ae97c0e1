import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureSMTP
import NurtureSQLite

#if PostgreSQL
    import NurturePostgres
#endif

/// `nurture store`: the store's schema and moving a SQLite store to PostgreSQL.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Upgrade the store's schema, or copy a SQLite store to PostgreSQL.",
        subcommands: [Migrate.self, Copy.self])

    /// `nurture store migrate`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Bring the configured store's schema up to this version of Nurture.",
            discussion: """
                Applies the migrations the store lacks (each in its own transaction) and prints the schema \
                version before and after. A daemon does the same when it starts; run this before starting \
                several daemons of a new version on one PostgreSQL database, or to check a store. A store \
                written by a newer Nurture is refused and left unchanged.
                """)

        @OptionGroup var options: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption

        func run() async throws {
            let configuration = try StoreLocation.configuration(file: options.config)
            if let settings = configuration.database {
                try await migratePostgres(settings)
                return
            }
            let path = StoreLocation.path(for: configuration, stateDirectory: stateDirectory.path)
            do {
                let before = try SQLiteStore.schemaVersions(path: path)
                _ = try SQLiteStore(path: path, access: .readWrite)
                let after = try SQLiteStore.schemaVersions(path: path)
                print(Self.summary(store: path, before: before.applied, after: after.applied, known: after.known))
            } catch {
                printError("cannot migrate the store \(path): \(error)")
                throw ExitCode.failure
            }
        }

        private func migratePostgres(_ settings: PostgresSettings) async throws {
            #if PostgreSQL
                let instance = DaemonInstance.current(
                    host: ProcessInfo.processInfo.hostName, pid: getpid(), at: Date())
                do {
                    try await PostgresStore.withStore(settings, instance: instance, logger: StoreLocation.commandLogger)
                    { store in
                        let before = try await store.recordedSchemaVersion()
                        try await store.migrate()
                        let after = try await store.recordedSchemaVersion()
                        print(
                            Self.summary(
                                store: settings.description, before: before, after: after,
                                known: PostgresStore.schemaVersion))
                    }
                } catch {
                    printError("cannot migrate the store \(settings): \(error)")
                    throw ExitCode.failure
                }
            #else
                printError("this nurture was built without PostgreSQL support; \(settings) cannot be migrated")
                throw ExitCode.failure
            #endif
        }

        /// `store …: schema version 3 → 7 (this Nurture knows 7)`.
        static func summary(store: String, before: Int, after: Int, known: Int) -> String {
            let change =
                before == after ? "schema version \(after), already current" : "schema version \(before) → \(after)"
            return "store \(store): \(change) (this Nurture knows up to \(known))"
        }
    }

    /// `nurture store copy --to postgres://...`.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy the configured SQLite store into an empty PostgreSQL database, and verify the counts.",
            discussion: """
                One way, for moving to several daemons on one database (docs/postgres.md): migrates the target, \
                refuses it unless every table is empty, copies every table (leads, audit, enrollments, the \
                ledger, the send log, suppressions, unsubscribe tokens, relay pauses, incoming mail, mailbox \
                cursors, meta) row for row with the same ids, a few thousand rows per transaction, then counts \
                both sides table by table and fails on any difference. The source is only read. Stop the daemon \
                first: the copy takes the store's lock, and refuses a store with sends in flight. Afterwards, \
                point state.store (or the database section) at the new database.
                """)

        @OptionGroup var options: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption

        @Option(
            name: .customLong("to"),
            help: ArgumentHelp("The target database: postgres://USER@HOST:PORT/DATABASE.", valueName: "url"))
        var target: String

        @Option(help: ArgumentHelp("A file holding the database user's password.", valueName: "file"))
        var passwordFile: String?

        @Option(help: ArgumentHelp("require (the default) or disable (loopback or a socket only).", valueName: "mode"))
        var tls: String?

        @Option(help: ArgumentHelp("A CA bundle (PEM) for the server's certificate.", valueName: "file"))
        var caFile: String?

        func run() async throws {
            let configuration = try StoreLocation.configuration(file: options.config)
            if let database = configuration.database {
                throw LogCommand.fail(
                    "\(options.config) already names a PostgreSQL store (\(database)); store copy reads a SQLite store:"
                        + " run it with the configuration that names the SQLite file")
            }
            let settings = try targetSettings()
            let path = StoreLocation.path(for: configuration, stateDirectory: stateDirectory.path)
            guard FileManager.default.fileExists(atPath: path) else {
                throw LogCommand.fail("no store at \(path): nothing to copy (point at it with --state-dir DIR)")
            }
            let lock: StoreLock
            do {
                lock = try StoreLock.acquire(forStore: path)
            } catch {
                throw LogCommand.fail("stop the daemon first: \(error)")
            }
            defer { withExtendedLifetime(lock) {} }
            let source: SQLiteStore
            do {
                source = try SQLiteStore(path: path, access: .readOnly)
                let inFlight = try await source.inFlightCount()
                guard inFlight == 0 else {
                    throw LogCommand.fail(
                        "the store \(path) has \(inFlight) send(s) in flight from a daemon that stopped without"
                            + " recording them: start `nurture run` once so it recovers them, stop it, then copy")
                }
            } catch let error as StoreError {
                throw LogCommand.fail("cannot read the store \(path): \(error)")
            }
            try await copy(from: source, path: path, to: settings)
        }

        /// The target from `--to`, `--password-file`, `--tls` and `--ca-file`.
        private func targetSettings() throws -> PostgresSettings {
            let url: PostgresURL
            switch PostgresURL.parse(target) {
            case .success(let parsed): url = parsed
            case .failure(.password):
                throw LogCommand.fail("--to: the URL holds a password; give it with --password-file FILE instead")
            case .failure(let problem):
                throw LogCommand.fail("--to: \(problem); write postgres://USER@HOST:PORT/DATABASE")
            }
            guard let user = url.user, let database = url.database else {
                throw LogCommand.fail(
                    "--to: the URL must name a user and a database: postgres://USER@HOST:PORT/DATABASE")
            }
            let mode: PostgresSettings.TLS
            switch tls {
            case nil: mode = url.tls ?? .require
            case let text?:
                guard let chosen = PostgresSettings.TLS(rawValue: text) else {
                    throw LogCommand.fail("--tls \(text): write require or disable")
                }
                mode = chosen
            }
            var settings = PostgresSettings(
                host: url.host, port: url.port ?? 5432, user: user, database: database, tls: mode, caFile: caFile)
            guard mode == .require || settings.isLocal else {
                throw LogCommand.fail(
                    "--tls disable: clear text to \(url.host); use tls require, or connect over loopback or a Unix socket"
                )
            }
            if let passwordFile {
                do {
                    settings.password = try Secret(contentsOfFile: passwordFile).value
                } catch {
                    throw LogCommand.fail("--password-file: \(error)")
                }
            }
            return settings
        }

        private func copy(from source: SQLiteStore, path: String, to settings: PostgresSettings) async throws {
            #if PostgreSQL
                let instance = DaemonInstance.current(
                    host: ProcessInfo.processInfo.hostName, pid: getpid(), at: Date())
                let counts: [TableCount]
                do {
                    counts = try await PostgresStore.withStore(
                        settings, instance: instance, logger: StoreLocation.commandLogger
                    ) { store in
                        try await store.migrate()
                        print("copying \(path) to \(settings)")
                        return try await store.copy(from: source) { table, rows in print("  \(table): \(rows) rows") }
                    }
                } catch {
                    throw LogCommand.fail("cannot copy to \(settings): \(error)")
                }
                print("counts (source / target):")
                for count in counts {
                    let mark = count.source == count.target ? "" : "  DIFFERENT"
                    print("  \(count.table): \(count.source) / \(count.target)\(mark)")
                }
                let different = counts.filter { $0.source != $0.target }
                guard different.isEmpty else {
                    throw LogCommand.fail(
                        "the copy is incomplete: \(different.map(\.table.name).joined(separator: ", ")) differ;"
                            + " do not switch to \(settings); empty it and copy again")
                }
                print(
                    "copied; every count is equal. Point state.store at \(settings) (password in"
                        + " database.password_file), then start the daemons")
            #else
                printError("this nurture was built without PostgreSQL support; it cannot copy to \(settings)")
                throw ExitCode.failure
            #endif
        }
    }
}
