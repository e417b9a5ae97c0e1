import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bound `AF_UNIX` datagram socket standing in for systemd's notify socket (`NOTIFY_SOCKET`).
package final class NotifySocket: Sendable {
    /// The value for `NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace.
    package let name: String
    private let descriptor: Int32

    /// Binds a socket to `name` (a path, or `@name` in the abstract namespace).
    package init(name: String) throws {
        self.name = name
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw NotifySocketError("socket() failed: errno \(errno)") }
        var bytes = Array(name.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 } else { bytes.append(0) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else {
            close(descriptor)
            throw NotifySocketError("bind(\(name)) failed: errno \(errno)")
        }
        self.descriptor = descriptor
    }

    /// A socket with a unique name in the abstract namespace.
    package static func abstract() throws -> NotifySocket {
        try NotifySocket(name: "@nurture-test-\(UUID().uuidString)")
    }

    deinit { close(descriptor) }

    /// The next datagram, or `nil` when none comes within `timeout`. Blocks the calling thread: from async code
    /// use ``next(within:skippingStatus:)``.
    package func receive(within timeout: Duration) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The next datagram (other than a lone STATUS refresh when `skippingStatus`), or `nil` when none comes
    /// within `timeout`; waits on a Dispatch thread, never blocking the cooperative pool a service under test
    /// runs on.
    package func next(within timeout: Duration, skippingStatus: Bool = false) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var datagram = self.receive(within: timeout)
                while skippingStatus, datagram?.hasPrefix("STATUS=") == true {
                    datagram = self.receive(within: timeout)
                }
                continuation.resume(returning: datagram)
            }
        }
    }
}

/// Setting up a ``NotifySocket`` failed.
package struct NotifySocketError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
