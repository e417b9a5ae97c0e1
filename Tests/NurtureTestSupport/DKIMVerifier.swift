package import Foundation

/// The independent DKIM verifier the tests trust: Debian's python3-dkim (dkimpy) driven by
/// `Tests/Support/dkim_verify.py`, with its DNS lookup answered from the test's own records.
package enum DKIMVerifier {
    /// Debian's interpreter, which has python3-dkim (the `python3` on PATH may be another one).
    package static let python = "/usr/bin/python3"

    /// `true` when python3-dkim imports in ``python``.
    package static let isAvailable: Bool = TestTools.run(python, ["-c", "import dkim, nacl"]) == 0

    /// One signature's result.
    package struct Signature: Decodable, Sendable {
        /// dkimpy verified it.
        package let verified: Bool
        /// `bh=` equals the body hash the script computed itself.
        package let bh_matches: Bool
        /// The `a=`, `d=`, `s=` and `h=` tags.
        package let a: String?
        package let d: String?
        package let s: String?
        package let h: String?
        /// dkimpy's complaint, when it raised.
        package let error: String?
    }

    /// One message's signatures, in field order.
    package struct File: Decodable, Sendable {
        package let file: String
        package let signatures: [Signature]
    }

    private struct Report: Decodable {
        let files: [File]
    }

    /// The test keys in `Tests/Fixtures/dkim`, copied into `directory` with mode 0600 (git keeps no modes);
    /// returns the copied paths by file name.
    package static func copyTestKeys(to directory: URL) throws -> [String: String] {
        let fixtures = TestTools.repositoryRoot.appendingPathComponent("Tests/Fixtures/dkim")
        var paths: [String: String] = [:]
        for name in ["test-rsa-2048.pem", "test-rsa-1024.pem", "test-ed25519.pem", "test-ed25519.seed"] {
            let target = directory.appendingPathComponent(name)
            let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
            _ = FileManager.default.createFile(
                atPath: target.path, contents: data, attributes: [.posixPermissions: 0o600])
            paths[name] = target.path
        }
        return paths
    }

    /// Verifies every signature of each message in `messages` with `records` (DNS name → TXT text) as DNS.
    package static func verify(_ messages: [[UInt8]], records: [String: String]) throws -> [File] {
        let folder = try TestTools.makeTemporaryDirectory("dkim-verify")
        defer { try? FileManager.default.removeItem(at: folder) }
        let recordsFile = folder.appendingPathComponent("records.json")
        try JSONSerialization.data(withJSONObject: records).write(to: recordsFile)
        var files: [String] = []
        for (index, message) in messages.enumerated() {
            let file = folder.appendingPathComponent(String(format: "%04d.eml", index))
            try Data(message).write(to: file)
            files.append(file.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestTools.supportScript("dkim_verify.py"), recordsFile.path] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(Report.self, from: data).files
    }
}
