import Foundation
import NurtureTestSupport
import Testing

/// `systemd/nurture.service` checked by the real `systemd-analyze` (systemd 252 on the reference machine).
@Suite(
    .ownQueue,
    .enabled(
        if: UnitFileTools.analyzer != nil || UnitFileTools.peersRequired,
        "needs systemd-analyze (Debian package systemd); NURTURE_REQUIRE_PEERS=1 makes its absence a failure"))
struct ServiceUnitTests {
    static let analyzer = UnitFileTools.analyzer
    /// The shipped unit file.
    static let unitFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd/nurture.service")
    /// The highest `systemd-analyze security` exposure accepted (0 = locked down, 10 = fully exposed).
    static let maximumExposure = 2.0

    @Test func verifyPrintsNothing() throws {
        let analyzer = try requireAnalyzer()
        try withUnitCopy { unit in
            let result = try run(analyzer, ["verify", "--man=no", unit.path], in: unit.deletingLastPathComponent())
            // verify exits 0 even when it ignores a misspelt or invalid setting: any stderr output is a failure.
            #expect(result.stderr.isEmpty, "systemd-analyze verify complained:\n\(result.stderr)")
            #expect(result.status == 0, "systemd-analyze verify exited \(result.status)")
        }
    }

    @Test func securityExposureIsAtMostTwo() throws {
        let analyzer = try requireAnalyzer()
        try withUnitCopy { unit in
            let result = try run(
                analyzer, ["security", "--offline=yes", unit.path], in: unit.deletingLastPathComponent())
            #expect(result.status == 0, "systemd-analyze security exited \(result.status): \(result.stderr)")
            let exposure = try #require(
                Self.overallExposure(result.stdout), "no \"Overall exposure level\" line in:\n\(result.stdout)")
            print("systemd-analyze security --offline=yes nurture.service: overall exposure \(exposure)")
            #expect(
                exposure <= Self.maximumExposure, "exposure \(exposure) > \(Self.maximumExposure):\n\(result.stdout)")
        }
    }

    @Test func theUnitSaysWhatTheDaemonExpects() throws {
        let text = try String(contentsOf: Self.unitFile, encoding: .utf8)
        let settings = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for setting in [
            "Type=notify", "ExecStart=/usr/local/bin/nurture run --config ${CONFIGURATION_DIRECTORY}/nurture.yaml",
            "ExecReload=/bin/kill -HUP $MAINPID", "WatchdogSec=30", "Restart=on-failure", "StateDirectory=nurture",
            "ConfigurationDirectory=nurture", "LoadCredential=smtp-password:/etc/nurture/smtp-password",
            "DynamicUser=yes", "UMask=0077", "MemoryDenyWriteExecute=yes", "CapabilityBoundingSet=",
        ] {
            #expect(settings.contains(setting), "nurture.service lacks \(setting)")
        }
    }

    /// The number in `→ Overall exposure level for nurture.service: 1.2 OK 🙂`.
    static func overallExposure(_ output: String) -> Double? {
        guard let line = output.split(separator: "\n").last(where: { $0.contains("Overall exposure level") }),
            let colon = line.lastIndex(of: ":")
        else { return nil }
        return line[line.index(after: colon)...].split(separator: " ").first.flatMap { Double($0) }
    }

    @Test func exposureParsing() {
        #expect(Self.overallExposure("x\n→ Overall exposure level for nurture.service: 1.2 OK 🙂\n") == 1.2)
        #expect(Self.overallExposure("→ Overall exposure level for a.service: 9.6 UNSAFE 😨") == 9.6)
        #expect(Self.overallExposure("nothing here") == nil)
    }

    private func requireAnalyzer() throws -> String {
        try #require(
            Self.analyzer, "systemd-analyze is not installed (apt-get install systemd) and NURTURE_REQUIRE_PEERS=1")
    }

    /// Copies the unit into a temporary directory with `ExecStart=` pointing at `/bin/true`.
    ///
    /// `verify` checks that ExecStart's binary exists, and the tests must not depend on
    /// `/usr/local/bin/nurture` being installed (nor on this target having built the `nurture` product),
    /// so only the path is rewritten; the arguments and every other line stay as shipped.
    private func withUnitCopy(_ body: (URL) throws -> Void) throws {
        let original = try String(contentsOf: Self.unitFile, encoding: .utf8)
        let rewritten = original.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/nurture ", with: "ExecStart=/bin/true ")
        try #require(rewritten != original, "ExecStart=/usr/local/bin/nurture not found in nurture.service")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nurture-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = directory.appendingPathComponent("nurture.service")
        try rewritten.write(to: unit, atomically: true, encoding: .utf8)
        try body(unit)
    }

    private struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a tool to completion, capturing its output in files (no pipe can fill up and block it).
    private func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> Output {
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["SYSTEMD_COLORS"] = "0"
        environment["SYSTEMD_PAGER"] = "cat"
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// Whether the unit-file tests can run (outside the suite type: its trait cannot refer to the type itself).
enum UnitFileTools {
    /// CI sets NURTURE_REQUIRE_PEERS=1: then a missing systemd-analyze fails the tests instead of skipping them.
    static let peersRequired = ProcessInfo.processInfo.environment["NURTURE_REQUIRE_PEERS"] == "1"
    /// The `systemd-analyze` executable, if installed.
    static let analyzer: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
