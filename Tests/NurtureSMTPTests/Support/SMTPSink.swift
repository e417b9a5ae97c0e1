import Foundation

/// Postfix's `smtp-sink` on a free loopback port, with optional fault flags (`-r CMD`, `-f CMD`, `-q CMD`,
/// `-Q CMD`, `-W CMD:SECONDS`), dumping each accepted message into a directory.
final class SMTPSink: @unchecked Sendable {
    let port: Int
    let dumpDirectory: URL
    private let process: PeerProcess

    /// Starts smtp-sink with `faults` (e.g. `["-r", "RCPT"]`) and waits until it accepts connections.
    init(faults: [String] = []) throws {
        guard TestTools.hasSmtpSink else { throw PeerError.missingTool("Postfix's smtp-sink (Debian package postfix)") }
        dumpDirectory = try TestTools.makeTemporaryDirectory("smtp-sink")
        // smtp-sink drops to user nobody when run as root, and must still write its dumps.
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: dumpDirectory.path)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try FreePort.find()
            do {
                let process = try PeerProcess(
                    executable: TestTools.smtpSink,
                    arguments: ["-u", "nobody", "-d", dumpDirectory.path + "/msg."] + faults + ["127.0.0.1:\(port)", "64"])
                if try FreePort.waitUntilListening(port, process: process.process) {
                    self.port = port
                    self.process = process
                    return
                }
            } catch { lastError = error }
        }
        throw lastError ?? PeerError.timedOut(stderr: "smtp-sink never listened")
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: dumpDirectory)
    }

    /// How many messages smtp-sink has written to its dump directory.
    func dumpedCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: dumpDirectory.path))?.filter { $0.hasPrefix("msg.") }.count
            ?? 0
    }

    /// Waits (bounded) until `count` dumps exist; smtp-sink writes them asynchronously.
    func waitForDumps(_ count: Int, timeout: Duration = .seconds(10)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while dumpedCount() < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return dumpedCount()
    }
}

/// Finds free loopback TCP ports.
enum FreePort {
    /// Binds port 0 on 127.0.0.1, reads the port the kernel chose, and closes the socket.
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError.missingTool("a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw PeerError.missingTool("a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls until something accepts connections on `port`, or the process exits (bounded to 10 s).
    static func waitUntilListening(_ port: Int, process: Process) throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if !process.isRunning { return false }
            if canConnect(port) { return true }
            usleep(20_000)
        }
        return false
    }

    private static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
