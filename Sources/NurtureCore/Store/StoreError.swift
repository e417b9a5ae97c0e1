/// Why a store operation failed: a stable ``code`` to branch on and the operator's prose (which file, what
/// happened, what to do) in ``message``.
///
/// Callers decide by the code (``Code/isFault``: back off and retry, or refuse the request); they show the message.
/// A second backend maps its own failures to the same codes (``Code``), so the daemon, the CLI and the HTTP
/// interface treat both alike.
package struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Stable: log lines, exit codes and metrics may carry its ``description``.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case busy, unavailable, corrupt, constraint, notFound = "not-found", io, full
            case readOnly = "read-only", replaced, locked, incompatible, cancelled, failed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// Another process held the store's write lock longer than the busy timeout (SQLite `SQLITE_BUSY`,
        /// `SQLITE_LOCKED`). A fault.
        package static let busy = Code(.busy)
        /// The store cannot be reached or opened: a removed directory, missing permissions, no such file for a
        /// read-only open (SQLite `SQLITE_CANTOPEN`). A fault.
        package static let unavailable = Code(.unavailable)
        /// The store's file is damaged or is not a store (SQLite `SQLITE_CORRUPT`, `SQLITE_NOTADB`). A fault (the
        /// operator restores a backup).
        package static let corrupt = Code(.corrupt)
        /// The change would break one of the store's rules (a unique address, a foreign key). Not a fault.
        package static let constraint = Code(.constraint)
        /// The request names a lead, enrollment or send the store does not have. Not a fault.
        package static let notFound = Code(.notFound)
        /// The operating system reported an input/output error (SQLite `SQLITE_IOERR`: a failing disk, a file too
        /// big). A fault.
        package static let io = Code(.io)
        /// The disk or file system holding the store is full (SQLite `SQLITE_FULL`, `ENOSPC`). A fault.
        package static let full = Code(.full)
        /// The store is read-only for this process (SQLite `SQLITE_READONLY`, `EROFS`, permissions). A fault.
        package static let readOnly = Code(.readOnly)
        /// The store's file was removed or replaced while the process had it open: what it writes goes to a file
        /// nobody else sees. A fault.
        package static let replaced = Code(.replaced)
        /// Another daemon holds the store's lock file (one daemon per store). Not a fault: the operator stops one.
        package static let locked = Code(.locked)
        /// The store was written by a newer version, lacks this version's migrations, or is not a store at all.
        /// Not a fault: it needs an upgrade or another file.
        package static let incompatible = Code(.incompatible)
        /// The calling task was cancelled (the process is stopping): nothing was written. Not a fault.
        package static let cancelled = Code(.cancelled)
        /// Any other failure: an unreadable row, a value that cannot be encoded, an unexpected database error.
        /// Not a fault.
        package static let failed = Code(.failed)

        /// Every code, in declaration order.
        package static let all: [Code] = [
            .busy, .unavailable, .corrupt, .constraint, .notFound, .io, .full, .readOnly, .replaced, .locked,
            .incompatible, .cancelled, .failed,
        ]

        /// Whether the condition may clear without Nurture doing anything (the operator frees space, remounts the
        /// file system, ends the other process holding the lock): the daemon keeps the work and tries again after
        /// a backoff. Other codes refuse the request itself; retrying it soon changes nothing.
        package var isFault: Bool {
            switch base {
            case .busy, .unavailable, .corrupt, .io, .full, .readOnly, .replaced: true
            case .constraint, .notFound, .locked, .incompatible, .cancelled, .failed: false
            }
        }

        /// The code's stable name: `busy`, `unavailable`, `corrupt`, `constraint`, `not-found`, `io`, `full`,
        /// `read-only`, `replaced`, `locked`, `incompatible`, `cancelled`, `failed`.
        package var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    package var code: Code
    /// The operator's prose: which store, what happened, what to do.
    package var message: String

    /// An error of kind `code` described by `message`.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An error described by `message` that is not a storage fault (code ``Code/failed``).
    package init(_ message: String) {
        self.init(.failed, message)
    }

    /// Whether the error is a storage fault (``Code/isFault``): the daemon backs off and keeps the work.
    package var isFault: Bool { code.isFault }

    package var description: String { message }
}
