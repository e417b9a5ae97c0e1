import Foundation
import Glibc
import NurtureTestSupport

/// A real SMTP server on a free loopback port for scheduler tests: Postfix's `smtp-sink` with fault flags, or
/// `Tests/Support/smtp_peer.py` (aiosmtpd, faults chosen by the recipient's local part or `--mail-reply`).
/// Stopped (SIGKILL; neither keeps anything worth a clean exit) when released.
final class RelayPeer: @unchecked Sendable {
    static var smtpSink: String { TestTools.smtpSink }
    static var hasSmtpSink: Bool { TestTools.hasSmtpSink }
    static var hasAiosmtpd: Bool { TestTools.hasAiosmtpd }
    /// CI sets NURTURE_REQUIRE_PEERS=1: a missing peer then fails instead of skipping.
    static var required: Bool { TestTools.peersRequired }

    let port: Int
    let directory: URL
    private let process = Process()
    private let output = Pipe()

    /// `smtp-sink -c` with `flags` (e.g. `["-f", "MAIL"]`); waits (at most 10 s) until it accepts connections.
    init(sinkFlags flags: [String]) throws {
        directory = try Self.makeDirectory()
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: Self.smtpSink)
        process.arguments = ["-u", "nobody", "-c"] + flags + ["127.0.0.1:\(port)", "64"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while !Self.accepts(port) {
            guard ContinuousClock.now < deadline, process.isRunning else { throw RelayPeerError.notListening }
            usleep(20_000)
        }
    }

    /// aiosmtpd answering every MAIL FROM with `mailReply` while the file ``refusalSwitch`` exists.
    init(aiosmtpdMailReply mailReply: String? = nil) throws {
        directory = try Self.makeDirectory()
        var arguments = [
            "python3", Self.repositoryRoot.appendingPathComponent("Tests/Support/smtp_peer.py").path,
            "--capture-dir", directory.path,
        ]
        if let mailReply {
            let refusalSwitch = directory.appendingPathComponent("refuse")
            _ = FileManager.default.createFile(atPath: refusalSwitch.path, contents: nil)
            arguments += ["--mail-reply", mailReply, "--mail-reply-until-absent", refusalSwitch.path]
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw RelayPeerError.notListening }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }),
                let port = Int(line.dropFirst(6))
            {
                self.port = port
                return
            }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts smtp-sink with `sinkFlags`, or aiosmtpd (answering MAIL FROM with `mailReply` when given), on a
    /// Dispatch thread: waiting for the peer to listen must not hold one of the cooperative pool's threads.
    static func start(sinkFlags: [String]? = nil, mailReply: String? = nil) async throws -> RelayPeer {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try sinkFlags.map { try RelayPeer(sinkFlags: $0) } ?? RelayPeer(aiosmtpdMailReply: mailReply)
                    })
            }
        }
    }

    /// The file whose removal makes the aiosmtpd peer accept MAIL FROM again.
    var refusalSwitch: URL { directory.appendingPathComponent("refuse") }

    /// aiosmtpd: how many MAIL FROM commands reached it.
    func mailCommands() -> Int {
        let text = (try? String(contentsOf: directory.appendingPathComponent("events.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix("MAIL ") }.count
    }

    /// aiosmtpd: how many messages it accepted.
    func captured() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".eml") }
            .count
    }

    /// smtp-sink: stops it and returns the sessions it counted (`-c`), less the readiness probe's.
    func stopAndCountSessions() -> Int {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let last = text.components(separatedBy: "sess=").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        return max(0, last - 1)
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: url.path)
        return url
    }

    /// A loopback port nothing listens on (bound to port 0, then released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RelayPeerError.notListening }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw RelayPeerError.notListening }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `true` when a TCP connection to the loopback port succeeds.
    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

enum RelayPeerError: Error {
    case notListening
}
