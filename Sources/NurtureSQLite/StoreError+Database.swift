internal import GRDB
internal import NurtureCore

extension StoreError {
    /// An error from SQLite or GRDB while doing `action` on the file at `path`, with its ``StoreError/Code`` and
    /// in words an operator can act on. A ``StoreError`` raised while decoding a row passes through unchanged; a
    /// cancelled task (GRDB's async access checks for cancellation) becomes ``StoreError/Code/cancelled``.
    static func wrapping(_ error: any Error, path: String, action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is CancellationError {
            return StoreError(
                .cancelled,
                "database file \(path): \(action) was cancelled (the process is stopping); nothing was written")
        }
        guard let error = error as? DatabaseError else {
            return StoreError("database file \(path): \(action) failed: \(error)")
        }
        let detail = error.message.map { " (\($0))" } ?? ""
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(
                .busy,
                "database file \(path) is locked by another process\(detail) while \(action);"
                    + " it waited \(Int(SQLiteStore.busyTimeout)) s. Check for a long-running nurture command"
                    + " or sqlite3 session holding a write transaction, then retry")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(
                .corrupt,
                "database file \(path) is damaged or is not a Nurture database\(detail) while \(action);"
                    + " stop the daemon and restore the latest backup (see docs/store.md)")
        case .SQLITE_CANTOPEN:
            return StoreError(
                .unavailable,
                "cannot open database file \(path)\(detail) while \(action); check that its directory exists"
                    + " and that this user may read and write both")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(
                .readOnly,
                "database file \(path) is read-only for this process\(detail) while \(action); check the"
                    + " permissions of the file, its -wal and -shm files and its directory")
        case .SQLITE_FULL:
            return StoreError(
                .full, "the disk holding database file \(path) is full\(detail) while \(action); free space and retry")
        case .SQLITE_IOERR:
            return StoreError(
                .io,
                "database file \(path): input/output error\(detail) while \(action); check the disk and"
                    + " the system log")
        case .SQLITE_CONSTRAINT:
            return StoreError(.constraint, "database file \(path): \(action) would break a constraint\(detail)")
        case .SQLITE_INTERRUPT where Task.isCancelled:
            return StoreError(
                .cancelled,
                "database file \(path): \(action) was cancelled (the process is stopping); nothing was written")
        default:
            return StoreError(
                "database file \(path): \(action) failed: SQLite error \(error.extendedResultCode.rawValue)\(detail)")
        }
    }
}
