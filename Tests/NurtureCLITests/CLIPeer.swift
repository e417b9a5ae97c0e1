import Foundation
import NurtureTestSupport

/// `Tests/Support/smtp_peer.py` (aiosmtpd) on a free loopback port, for tests that run the `nurture` binary.
///
/// It stores every accepted message byte for byte as `NNNN.eml` (envelope in `NNNN.json`) and logs each
/// connection as `CONNECT` in `events.log`. Faults are chosen by the recipient's local part (`rcpt4xx`,
/// `rcpt5xx`, `dropdot`, ...; see the script).
final class CLIPeer: @unchecked Sendable {
    /// `true` when `python3` imports aiosmtpd.
    static var available: Bool { TestTools.hasAiosmtpd }
    /// CI sets NURTURE_REQUIRE_PEERS=1: a missing aiosmtpd then fails the tests instead of skipping them.
    static var required: Bool { TestTools.peersRequired }

    let port: Int
    let captureDirectory: URL
    private let process = Process()

    /// Starts the peer and waits (at most 15 s) for its `READY <port>` line.
    init() throws {
        guard Self.available else { throw CLIPeerError.missingAiosmtpd }
        captureDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nurture-cli-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: captureDirectory, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", CLIRunner.packageRoot.appendingPathComponent("Tests/Support/smtp_peer.py").path,
            "--capture-dir", captureDirectory.path,
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(15)
        var buffer = Data()
        while ContinuousClock.now < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let ready = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("READY ") }
            if let ready, let port = Int(ready.dropFirst("READY ".count)) {
                self.port = port
                return
            }
        }
        process.terminate()
        process.waitUntilExit()
        throw CLIPeerError.didNotStart
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: captureDirectory)
    }

    /// Captured message number `index` (0-based), exactly as received.
    func capturedMessage(_ index: Int) throws -> Data {
        try Data(contentsOf: capturedMessageURL(index))
    }

    /// Where captured message number `index` (0-based) is stored.
    func capturedMessageURL(_ index: Int) -> URL {
        captureDirectory.appendingPathComponent(String(format: "%04d.eml", index + 1))
    }

    /// How many messages were captured.
    func capturedCount() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: captureDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.count
    }

    /// The envelope of captured message number `index`: MAIL FROM and the RCPT TO list.
    func capturedEnvelope(_ index: Int) throws -> (from: String, to: [String]) {
        let url = captureDirectory.appendingPathComponent(String(format: "%04d.json", index + 1))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        return (object["mail_from"] as? String ?? "", object["rcpt_tos"] as? [String] ?? [])
    }

    /// The peer's event lines (`CONNECT`, `MAIL tls=... from=...`).
    func events() -> [String] {
        let url = captureDirectory.appendingPathComponent("events.log")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Stops the peer: SIGTERM, up to two seconds' grace, then SIGKILL.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(2)
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Why the CLI tests' SMTP peer could not start.
enum CLIPeerError: Error, CustomStringConvertible {
    case missingAiosmtpd
    case didNotStart

    var description: String {
        switch self {
        case .missingAiosmtpd: return "python3 with aiosmtpd is not installed; run .ci/run or scripts/install-deps.sh"
        case .didNotStart: return "Tests/Support/smtp_peer.py did not print READY within 15 seconds"
        }
    }
}
