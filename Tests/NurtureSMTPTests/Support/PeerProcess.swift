import Foundation
import NurtureTestSupport

/// A child process (a test SMTP server) that is stopped when the value is released or `stop()` is called.
final class PeerProcess: @unchecked Sendable {
    let process = Process()
    private let stdout = Pipe()
    private let stderr = Pipe()

    /// Starts `executable` with `arguments`; stdout is read line by line through ``waitForLine(prefix:timeout:)``.
    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
    }

    deinit { stop() }

    /// Waits for a stdout line starting with `prefix` and returns it (for the peer's "READY <port>").
    func waitForLine(prefix: String, timeout: Duration = .seconds(15)) throws -> String {
        let handle = stdout.fileHandleForReading
        let deadline = ContinuousClock.now + timeout
        var buffer = Data()
        while ContinuousClock.now < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                throw PeerError.exited(status: process.isRunning ? -1 : process.terminationStatus, stderr: errorText())
            }
            buffer.append(chunk)
            for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
                return String(line)
            }
        }
        throw PeerError.timedOut(stderr: errorText())
    }

    /// Stops the process: SIGTERM, up to two seconds' grace, then SIGKILL; never waits unbounded.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(2)
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func errorText() -> String {
        if process.isRunning { return "" }
        return String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

/// Why a test peer could not start.
enum PeerError: Error, CustomStringConvertible {
    case exited(status: Int32, stderr: String)
    case timedOut(stderr: String)
    case missingTool(String)

    var description: String {
        switch self {
        case .exited(let status, let stderr): return "test peer exited with status \(status): \(stderr)"
        case .timedOut(let stderr): return "test peer did not report READY in time: \(stderr)"
        case .missingTool(let tool): return "\(tool) is not installed; run .ci/run or see the README's test section"
        }
    }
}
