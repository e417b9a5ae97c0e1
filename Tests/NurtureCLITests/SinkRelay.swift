import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Postfix's `smtp-sink` on a free loopback port for tests that run the `nurture` binary: it accepts every
/// message (after `replyDelay` seconds at the final dot, when given) and dumps each one into a directory.
final class SinkRelay: @unchecked Sendable {
    static let binary = "/usr/sbin/smtp-sink"
    /// Whether Postfix's smtp-sink is installed (Debian `postfix`).
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let port: Int
    let dumpDirectory: URL
    private let process: Process

    /// Starts smtp-sink and waits (at most 10 s) until it accepts connections.
    init(replyDelay: Int? = nil) throws {
        dumpDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nurture-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dumpDirectory, withIntermediateDirectories: true)
        // smtp-sink drops to user nobody when run as root, and must still write its dumps.
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: dumpDirectory.path)
        var lastProblem = "smtp-sink never listened"
        for _ in 0..<5 {
            let port = Self.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments =
                ["-u", "nobody", "-d", dumpDirectory.path + "/msg."] + (replyDelay.map { ["-W", ".:\($0)"] } ?? [])
                + ["127.0.0.1:\(port)", "64"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline {
                if Self.accepts(port) {
                    self.port = port
                    self.process = process
                    return
                }
                usleep(20_000)
            }
            lastProblem = "smtp-sink on port \(port) exited or never listened"
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        throw CLIRunnerError.textNotFound(lastProblem, "smtp-sink")
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dumpDirectory)
    }

    /// How many messages smtp-sink has received (one dump file each).
    var received: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: dumpDirectory.path)) ?? []).filter {
            $0.hasPrefix("msg.")
        }.count
    }

    /// A port the kernel reports free on 127.0.0.1 at this moment.
    private static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a TCP connection to `port` on 127.0.0.1 succeeds.
    private static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, length) == 0 }
        }
    }
}
