package import Foundation

/// Where the test tools are, and whether a missing one fails the run (CI) or skips with a reason (laptop).
package enum TestTools {
    /// The repository root, found from this file's path.
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Support/<name>`.
    package static func supportScript(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Support/\(name)").path
    }

    package static let smtpSink = "/usr/sbin/smtp-sink"

    /// `true` when aiosmtpd imports in the `python3` on PATH.
    package static let hasAiosmtpd: Bool = run("/usr/bin/env", ["python3", "-c", "import aiosmtpd"]) == 0
    /// `true` when Postfix's smtp-sink is installed.
    package static let hasSmtpSink: Bool = FileManager.default.isExecutableFile(atPath: smtpSink)
    /// `true` when the openssl command is installed (for the test certificate).
    package static let hasOpenSSL: Bool = run("/usr/bin/env", ["openssl", "version"]) == 0
    /// CI sets NURTURE_REQUIRE_PEERS=1: then a missing peer is a failure, never a skip.
    package static let peersRequired = ProcessInfo.processInfo.environment["NURTURE_REQUIRE_PEERS"] == "1"

    /// Runs a command quietly and returns its exit status.
    @discardableResult
    package static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A new empty temporary directory.
    package static func makeTemporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
