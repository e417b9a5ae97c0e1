internal import Foundation
internal import GRDB
package import NurtureCore

/// Which file a path names: its device and inode. A database file removed (`rm`) or replaced (a backup copied
/// over it, `mv`) while the daemon has it open keeps the daemon writing to the old, now invisible, file; the
/// health probe compares the identity the store was opened with against the file on disk.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    /// The identity of the file at `path`, or `nil` when there is none.
    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value,
            let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        else { return nil }
        self.device = device
        self.inode = inode
    }
}

extension SQLiteStore {
    /// Why the open database is no longer the file at ``path`` (removed or replaced), or `nil` while it is.
    package func fileProblem() -> StoreError? {
        guard let identity else { return nil }
        guard let current = FileIdentity(path: path) else {
            return StoreError(
                .replaced,
                "database file \(path) was removed while this process has it open: what it writes now is lost when"
                    + " it stops. Stop the daemon and restore the file from a backup (docs/store.md); do not run"
                    + " other nurture commands on the store until then")
        }
        guard current == identity else {
            return StoreError(
                .replaced,
                "database file \(path) was replaced by another file (device \(current.device), inode"
                    + " \(current.inode); opened as device \(identity.device), inode \(identity.inode)) while this"
                    + " process has it open: it still writes to the old file. Restart the daemon to use the new one")
        }
        return nil
    }

    /// Refuses a missing file for a read-only open: nothing is created.
    static func requireFile(at path: String) throws(StoreError) {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        throw StoreError(
            .unavailable,
            "no store at \(path): the database file does not exist, and this command only reads it (nothing was"
                + " created)")
    }

    /// A read-only open needs a file with every migration this version knows, and none it does not.
    static func checkSchema(_ pool: DatabasePool, path: String) throws(StoreError) {
        let migrator = Schema.migrator
        let (superseded, complete): (Bool, Bool)
        do {
            (superseded, complete) = try pool.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
        } catch {
            throw StoreError.wrapping(error, path: path, action: "reading the store's schema version")
        }
        if superseded {
            throw StoreError(
                .incompatible,
                "database file \(path) was written by a newer version of Nurture (it has migrations this version"
                    + " does not know); run the newer version or restore a backup")
        }
        if !complete {
            throw StoreError(
                .incompatible,
                "database file \(path) lacks migrations of this version of Nurture (or is not a Nurture store);"
                    + " start `nurture run` once with this version to upgrade it, then read it again")
        }
    }
}
