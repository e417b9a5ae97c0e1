import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells systemd about the daemon's state (`sd_notify(3)`), without libsystemd.
///
/// Each call sends one `AF_UNIX` datagram of `KEY=VALUE` lines to the socket named by `NOTIFY_SOCKET`
/// (a leading `@` names a socket in the abstract namespace). Without `NOTIFY_SOCKET` (not started by
/// systemd, or `Type=` other than `notify`) every method does nothing. Errors are ignored: a lost
/// notification must never stop the daemon. All socket code of the daemon lives in this file.
///
/// Protocol used with systemd 252 (`Type=notify`, `ExecReload=/bin/kill -HUP $MAINPID`):
/// ``ready(status:)`` once started; on SIGHUP ``reloading()``, reload, then ``ready(status:)`` again;
/// ``stopping()`` on SIGTERM; ``watchdog()`` every ``watchdogInterval`` (at most every 5 s) while the scheduler
/// loop is alive, from the daemon's notifier service.
package final class SystemdNotifier: Sendable {
    /// The socket as given in `NOTIFY_SOCKET` (`/run/systemd/notify` or `@name`), or `nil` when unset.
    package let socketPath: String?
    /// How often to call ``watchdog()``: half of `WATCHDOG_USEC`, or `nil` when systemd does not watch
    /// this process (no `WATCHDOG_USEC`, `WATCHDOG_PID` names another process, or no notify socket).
    package let watchdogInterval: Duration?
    /// The socket address, resolved once; `nil` when notifications are off.
    private let address: SocketAddress?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameters:
    ///   - environment: the process environment; tests pass their own.
    ///   - processID: this process's id, compared with `WATCHDOG_PID`.
    package init(
        environment: [String: String] = ProcessInfo.processInfo.environment, processID: Int32 = getpid()
    ) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        address = path.flatMap(SocketAddress.init(notifySocket:))
        watchdogInterval =
            address == nil
            ? nil
            : Self.watchdogInterval(
                microseconds: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], processID: processID)
    }

    /// Whether notifications are sent at all (`NOTIFY_SOCKET` is set and usable).
    package var isEnabled: Bool { address != nil }

    /// `READY=1`: start-up or reload finished; with `STATUS=` when `status` is given.
    @discardableResult
    package func ready(status: String? = nil) -> Bool {
        if let status { return send(["READY": "1", "STATUS": status]) }
        return send(["READY": "1"])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (CLOCK_MONOTONIC now, which newer systemd versions require).
    /// Follow it with ``ready(status:)`` when the reload is done, whether it succeeded or not.
    @discardableResult
    package func reloading() -> Bool {
        send(["RELOADING": "1", "MONOTONIC_USEC": String(Self.monotonicMicroseconds())])
    }

    /// `STOPPING=1`: shutdown has begun.
    @discardableResult
    package func stopping() -> Bool { send(["STOPPING": "1"]) }

    /// `WATCHDOG=1`: the keep-alive ping. Call it every ``watchdogInterval``.
    @discardableResult
    package func watchdog() -> Bool { send(["WATCHDOG": "1"], waitIfFull: false) }

    /// `STATUS=`: one line shown by `systemctl status`.
    @discardableResult
    package func status(_ text: String) -> Bool { send(["STATUS": text], waitIfFull: false) }

    /// `EXTEND_TIMEOUT_USEC=`: asks for more time to start, reload or stop, counted from now.
    @discardableResult
    package func extendTimeout(by duration: Duration) -> Bool {
        send(["EXTEND_TIMEOUT_USEC": String(Self.microseconds(duration))])
    }

    /// Sends `fields` as one datagram of `KEY=VALUE` lines, in order.
    ///
    /// Keys that are not `[A-Z0-9_]+` are dropped; CR, LF and NUL in values become spaces, so a value can
    /// never add a field. Returns whether the datagram was sent (`false` when off or on any error).
    /// With `waitIfFull` false (the frequent WATCHDOG and STATUS), a receiver that is not reading its queue
    /// makes the datagram be dropped instead of blocking the daemon.
    @discardableResult
    package func send(_ fields: KeyValuePairs<String, String>, waitIfFull: Bool = true) -> Bool {
        guard let address else { return false }
        let lines = fields.compactMap { key, value -> String? in
            guard Self.isValidKey(key) else { return nil }
            return "\(key)=\(Self.sanitize(value))"
        }
        guard !lines.isEmpty else { return false }
        return address.send(Array(lines.joined(separator: "\n").utf8), waitIfFull: waitIfFull)
    }

    /// Replaces the characters that would end or split a notify line.
    static func sanitize(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.unicodeScalars.map { scalar in
                    scalar == "\n" || scalar == "\r" || scalar == "\0" ? " " : scalar
                }))
    }

    private static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// Half of `WATCHDOG_USEC` when it is a positive number and `WATCHDOG_PID` is unset or this process.
    private static func watchdogInterval(microseconds: String?, pid: String?, processID: Int32) -> Duration? {
        guard let microseconds, let value = UInt64(microseconds), value > 0 else { return nil }
        if let pid, !pid.isEmpty, Int32(pid) != processID { return nil }
        return .microseconds(Int64(clamping: value / 2))
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}

/// A `sockaddr_un` for the notify socket, with the length `sendto` needs.
private struct SocketAddress: Sendable {
    /// The path bytes as they go into `sun_path` (for `@name`: a NUL, then the name, no terminator).
    let pathBytes: [UInt8]

    /// Parses `NOTIFY_SOCKET`: an absolute path or `@abstract-name`; `nil` when unusable or too long.
    init?(notifySocket: String) {
        var bytes = Array(notifySocket.utf8)
        switch bytes.first {
        case UInt8(ascii: "@"): bytes[0] = 0
        case UInt8(ascii: "/"): bytes.append(0)
        default: return nil
        }
        guard bytes.count > 1, bytes.count <= MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return nil }
        pathBytes = bytes
    }

    /// Sends one datagram on a fresh socket (as libsystemd does); never throws, never raises SIGPIPE.
    func send(_ message: [UInt8], waitIfFull: Bool) -> Bool {
        #if os(Linux)
            let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            let flags = Int32(MSG_NOSIGNAL) | (waitIfFull ? 0 : Int32(MSG_DONTWAIT))
        #else
            let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
            let flags: Int32 = waitIfFull ? 0 : MSG_DONTWAIT
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + pathBytes.count)
        let sent = message.withUnsafeBytes { body in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(descriptor, body.baseAddress, body.count, flags, socketAddress, length)
                }
            }
        }
        return sent == message.count
    }
}
