import Foundation
import Testing

/// `schemathesis run docs/openapi.yaml --checks all` against the running daemon: the spec and the server agree
/// (every documented operation, status and schema; undeclared methods get 405; valid bodies are not refused
/// for their shape). Bounded: a fixed number of examples per operation and a hard timeout.
///
/// It keeps both cores busy for half a minute, which starves the timing-sensitive suites running beside it, so
/// it runs only with `NURTURE_SCHEMATHESIS=1`: `scripts/test.sh` runs it on its own after the main suite.
@Suite(
    .serialized,
    .enabled(
        if: SchemathesisPeer.shouldRun,
        "runs on its own with NURTURE_SCHEMATHESIS=1 (scripts/test.sh, after the main suite)"))
struct SchemathesisTests {
    @Test("schemathesis --checks all finds no mismatch between docs/openapi.yaml and the server")
    func specMatchesServer() async throws {
        let binary = try #require(
            SchemathesisPeer.binary, "schemathesis is required (NURTURE_REQUIRE_PEERS=1) but not on PATH")
        let harness = try DaemonHarness()
        defer { harness.stopAll() }
        try harness.startDaemon()
        let base = try harness.waitForHTTP()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = [
            "--kill-after=10", "240", binary.path, "--config-file",
            CLIRunner.packageRoot.appendingPathComponent("Tests/Support/schemathesis.toml").path, "run",
            CLIRunner.packageRoot.appendingPathComponent("docs/openapi.yaml").path, "--url", base, "--header",
            "Authorization: Bearer \(harness.apiToken)", "--checks", "all", "--max-examples", "25", "--seed", "1",
            "--no-color",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["SCHEMATHESIS_HOOKS"] = nil
        process.environment = environment
        process.currentDirectoryURL = harness.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let started = Date()
        try process.run()
        // Blocking reads and waits run off the cooperative pool, so other suites' async waits keep running.
        let data = try await offPool {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        let text = String(decoding: data, as: UTF8.self)
        let summary = text.components(separatedBy: "\n").filter {
            $0.contains("generated") || $0.contains("passed") || $0.contains("failed") || $0.contains("Failures")
                || $0.contains("ST2") || $0.contains("ST0")
        }
        print(
            "schemathesis (\(String(format: "%.1f", Date().timeIntervalSince(started))) s, exit"
                + " \(process.terminationStatus)):\n" + summary.joined(separator: "\n"))
        #expect(process.terminationStatus == 0, "schemathesis reported mismatches:\n\(text.suffix(6000))")
    }
}

/// Where the schemathesis command is, and whether its test runs.
enum SchemathesisPeer {
    /// The command, found on PATH.
    static let binary: URL? = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("schemathesis")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// Asked for by `NURTURE_SCHEMATHESIS=1` (scripts/test.sh sets it for a run of this suite alone).
    static let requested = ProcessInfo.processInfo.environment["NURTURE_SCHEMATHESIS"] == "1"

    /// Runs when asked for and the daemon's peers are there, and schemathesis is installed or peers are
    /// required (then a missing schemathesis fails the test).
    static let shouldRun = requested && DaemonHarness.shouldRun && (binary != nil || CLIPeer.required)
}
