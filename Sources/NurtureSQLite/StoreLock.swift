internal import Foundation
package import NurtureCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One daemon per store: an exclusive `flock(2)` on a lock file beside the database (`nurture.sqlite.lock`),
/// which holds the daemon's PID.
///
/// The kernel drops the lock when the process ends, however it ends (a crash or SIGKILL included), so a stale
/// lock file never blocks a start. Read-only commands (`status`, `why`, `log`, `leads show`) do not take it. This
/// file is the only place that calls the C file API for the lock.
package final class StoreLock: Sendable {
    /// The lock file.
    package let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The lock file of the store at `storePath`: the same path with `.lock` appended.
    package static func path(forStore storePath: String) -> String { storePath + ".lock" }

    /// Takes the lock of the store at `storePath` for this process and writes its PID into the lock file (creating
    /// the store's directory, mode 0700, when missing); the lock is held until the returned value is released or
    /// the process ends.
    /// - Throws: ``StoreError`` naming the store and the PID of the process holding it, or why the lock file
    ///   cannot be opened.
    package static func acquire(forStore storePath: String) throws(StoreError) -> StoreLock {
        let path = path(forStore: storePath)
        // A new store: its directory is created here, as the store would (mode 0700).
        let directory = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(
                .unavailable,
                "cannot open the lock file \(path) of the store \(storePath): \(reason); check that this user may"
                    + " write to its directory")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK {
                let who = holder.map { "process \($0)" } ?? "another process"
                throw StoreError(
                    .locked,
                    "another `nurture run` (\(who)) is already using the store \(storePath) (lock file \(path));"
                        + " one daemon per store: stop it first, or give this one another state directory")
            }
            throw StoreError(
                .unavailable, "cannot lock \(path) of the store \(storePath): \(String(cString: strerror(code)))")
        }
        let text = Array("\(getpid())\n".utf8)
        let written = ftruncate(descriptor, 0) == 0 && pwrite(descriptor, text, text.count, 0) == text.count
        if !written {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw StoreError(.io, "cannot write the PID into the lock file \(path): \(reason)")
        }
        return StoreLock(path: path, descriptor: descriptor)
    }

    /// The PID written in the lock file, if it holds one.
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
