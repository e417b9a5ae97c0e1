/// A storage condition that makes the store refuse work for a while and may clear without Nurture doing
/// anything: the operator frees space, remounts the file system, ends the other process holding the lock.
public enum StoreFault: String, Sendable, Hashable, CaseIterable {
    /// The disk or file system holding the store is full (SQLite `SQLITE_FULL`, `ENOSPC`).
    case full
    /// The file, its directory or the file system is read-only for this process (`SQLITE_READONLY`, `EROFS`).
    case readOnly = "read-only"
    /// The operating system reported an input/output error (`SQLITE_IOERR`: a failing disk, a file too big).
    case inputOutput = "input-output"
    /// Another process held the write lock longer than the busy timeout (`SQLITE_BUSY`).
    case busy
    /// The file could not be opened (`SQLITE_CANTOPEN`: a removed directory, missing permissions).
    case cannotOpen = "cannot-open"
    /// The file is damaged or is not a database (`SQLITE_CORRUPT`, `SQLITE_NOTADB`).
    case damaged
    /// The database file was removed or replaced by another file while the process had it open: what it writes
    /// goes to a file nobody else sees.
    case replaced
}
