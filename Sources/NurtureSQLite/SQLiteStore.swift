internal import Foundation
internal import GRDB
package import NurtureCore

/// The SQLite implementation of ``SendStore``: one file in WAL mode, shared by the daemon and the CLI.
///
/// Every connection runs with `synchronous=FULL`, so a method that returned has its change on disk even
/// after a power loss. Writes are `BEGIN IMMEDIATE` transactions serialised by SQLite's write lock
/// across processes; a writer waits up to ``busyTimeout`` seconds for another process before failing.
/// Every ``SendStore`` method is `async`: it runs on GRDB's writer queue or one of its reader connections (a
/// dispatch queue, not Swift's cooperative pool) while the calling task is suspended; a cancelled task's call
/// fails with ``StoreError/Code/cancelled`` and writes nothing. Dates are kept with millisecond precision. See
/// `docs/store.md`.
package final class SQLiteStore: SendStore {
    /// How long a connection waits for another process's write lock, in seconds.
    static let busyTimeout: TimeInterval = 10

    /// How a process uses the store.
    package enum Access: Sendable {
        /// Reads and writes; creates the file when it does not exist (the daemon, `nurture leads add`).
        case readWrite
        /// Only reads an existing file (`status`, `why`, `log`, `leads show`): never creates, migrates, writes or
        /// checkpoints it, so it cannot disturb the write-ahead log of a daemon using the same file.
        case readOnly
    }

    /// The database file.
    package let path: String
    let pool: DatabasePool
    /// Which file `path` named when the store was opened (device and inode), to notice it being removed or
    /// replaced while the process runs.
    let identity: FileIdentity?

    /// Opens the store at `path`. With ``Access/readWrite`` it creates the file (mode 0600) and its directory
    /// (mode 0700) when missing and applies any migration the file lacks; with ``Access/readOnly`` the file must
    /// exist and have every migration, and nothing is created or written.
    /// - Throws: ``StoreError`` naming the file and what to do when it cannot be opened or upgraded.
    package init(path: String, access: Access = .readWrite) throws(StoreError) {
        self.path = path
        switch access {
        case .readWrite: try Self.prepareFile(at: path)
        case .readOnly: try Self.requireFile(at: path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "nurture-store"
        configuration.readonly = access == .readOnly
        if access == .readWrite {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.wrapping(error, path: path, action: "opening the store")
        }
        identity = FileIdentity(path: path)
        if access == .readOnly {
            try Self.checkSchema(pool, path: path)
            return
        }
        do {
            // DatabasePool switches the writer to synchronous=NORMAL after prepareDatabase has run.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let migrator = Schema.migrator
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw StoreError(
                    .incompatible,
                    "database file \(path) was written by a newer version of Nurture (it has migrations this"
                        + " version does not know); run the newer version or restore a backup")
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError.wrapping(error, path: path, action: "setting up the store")
        }
    }

    /// Creates the directory (0700) and an empty file (0600) so SQLite's -wal and -shm files, which
    /// copy the database file's mode, are private too. Refuses when the file is missing but its -wal or -shm
    /// file is there: the database was removed while a process may still use it, and a new file would make
    /// SQLite reset that process's write-ahead log.
    private static func prepareFile(at path: String) throws(StoreError) {
        let files = FileManager.default
        if !files.fileExists(atPath: path),
            let orphan = ["-wal", "-shm"].first(where: { files.fileExists(atPath: path + $0) })
        {
            throw StoreError(
                .replaced,
                "database file \(path) is missing but \(path + orphan) is there: the database was removed, perhaps"
                    + " while a daemon still uses it. Nothing was created (a new file would reset that daemon's"
                    + " write-ahead log); stop the daemon, restore the file from a backup (docs/store.md), or move"
                    + " the -wal and -shm files away to start an empty store")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            if !files.fileExists(atPath: directory) {
                try files.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw StoreError(
                .unavailable,
                "cannot create directory \(directory) for database file \(path): \(error.localizedDescription);"
                    + " create it or choose another store path")
        }
        if !files.fileExists(atPath: path) {
            let created = files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            if !created, !files.fileExists(atPath: path) {
                throw StoreError(
                    .unavailable,
                    "cannot create database file \(path); check that this user may write to \(directory)")
            }
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`) on GRDB's writer queue, suspending the caller
    /// meanwhile, and turns errors into ``StoreError``.
    func write<T: Sendable>(
        _ action: @autoclosure () -> String, _ body: @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.wrapping(error, path: path, action: action())
        }
    }

    /// Runs `body` on a snapshot of the last commit on one of GRDB's reader connections, suspending the caller
    /// meanwhile, and turns errors into ``StoreError``. Rows are not `Sendable`: `body` decodes them.
    func read<T: Sendable>(
        _ action: @autoclosure () -> String, _ body: @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.wrapping(error, path: path, action: action())
        }
    }

    /// Wraps a fetched row of `table` for checked decoding.
    func stored(_ row: Row, _ table: String) -> StoredRow {
        StoredRow(row: row, table: table, path: path)
    }
}
