import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a loopback port, for tests that need to hold a connection open without speaking
/// HTTP (URLSession would pool and retry). Closed on deinit. Blocking: use it inside ``offPool(_:)``.
final class LoopbackSocket: @unchecked Sendable {
    private let descriptor: Int32

    /// Connects to `127.0.0.1:port`; throws when the kernel refuses.
    init(port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackSocketError.failed("socket", errno) }
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw LoopbackSocketError.failed("connect", code)
        }
    }

    deinit { close(descriptor) }

    /// Writes all of `text`.
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw LoopbackSocketError.failed("send", errno) }
            sent += count
        }
    }

    /// What one read returned within `timeout`.
    enum Read: Equatable, Sendable {
        /// The peer closed the connection (or reset it).
        case closed
        /// Nothing arrived in time.
        case nothing
        /// Bytes arrived.
        case data(String)
    }

    /// Waits up to `timeout` seconds for bytes or for the peer to close.
    func read(timeout: Double) -> Read {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        guard ready > 0 else { return .nothing }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count <= 0 { return .closed }
        return .data(String(decoding: buffer.prefix(count), as: UTF8.self))
    }
}

enum LoopbackSocketError: Error, Sendable, CustomStringConvertible {
    case failed(String, Int32)

    var description: String {
        switch self {
        case .failed(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
