import Foundation
import NurtureTestSupport

/// Debian's headless Chromium with its chromedriver and Selenium for the `python3` on PATH: the real browser that
/// `Tests/Browser/console_browser.py` drives through the operator console.
enum BrowserPeer {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// What is missing, in words an operator can act on; empty when the browser can run.
    static let missing: [String] = {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: chromium) { missing.append("chromium (\(chromium))") }
        if !FileManager.default.isExecutableFile(atPath: chromedriver) {
            missing.append("chromium-driver (\(chromedriver))")
        }
        if TestTools.run("/usr/bin/env", ["python3", "-c", "import selenium"]) != 0 {
            missing.append("Selenium for python3")
        }
        return missing
    }()

    /// Runs when the browser and the daemon's peers are there, or when CI demands them (then a missing one fails).
    static let shouldRun = (missing.isEmpty && DaemonHarness.shouldRun) || TestTools.peersRequired

    /// Where to copy the screenshots (`NURTURE_CONSOLE_SCREENSHOTS=DIR`, e.g. `docs/images`), if anywhere.
    static let screenshotCopy: URL? = ProcessInfo.processInfo.environment["NURTURE_CONSOLE_SCREENSHOTS"].map {
        URL(fileURLWithPath: $0, relativeTo: CLIRunner.packageRoot)
    }

    /// Runs the browser script with `arguments` (at most five minutes) and returns its exit status and output.
    static func walk(_ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments =
            [
                "--kill-after=10", "300", "/usr/bin/env", "python3",
                CLIRunner.packageRoot.appendingPathComponent("Tests/Browser/console_browser.py").path,
                "--chromium", chromium, "--chromedriver", chromedriver,
            ] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Blocking reads and waits run off the cooperative pool, so other suites' async waits keep running.
        let data = try await offPool {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
