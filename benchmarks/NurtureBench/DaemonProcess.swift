import Foundation

/// The real daemon, `nurture run --config FILE`, started as a child process whose log (standard error) is
/// read line by line: the benchmarks learn that a send was recorded from its `send ... outcome=sent` line,
/// which the daemon writes only after the store has committed the outcome.
final class DaemonProcess {
    private let process = Process()
    private let pipe = Pipe()
    private var pending: [UInt8] = []

    /// What the log showed while waiting.
    struct Progress {
        /// When the `started` line arrived (after start-up and crash recovery, before the first pass).
        var started: ContinuousClock.Instant?
        /// When the last awaited `outcome=sent` line arrived.
        var finished: ContinuousClock.Instant?
        /// Send-log lines by outcome.
        var outcomes: [String: Int] = [:]
        /// The first few warning and error lines, to explain a failed run.
        var problems: [String] = []
    }

    /// Starts `binary run --config config --log-level info`.
    init(binary: String, config: String) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--config", config, "--log-level", "info"]
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Reads the log until `count` sends are recorded `sent`, the daemon exits, or `timeout` seconds pass.
    func waitForSent(_ count: Int, timeout: Double) -> Progress {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(timeout * 1000))
        let process = self.process
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        var progress = Progress()
        let handle = pipe.fileHandleForReading
        while (progress.outcomes["sent"] ?? 0) < count, clock.now < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            let now = clock.now
            pending.append(contentsOf: chunk)
            // One pass over the chunk and one removal per chunk: the reader must stay cheap, or it competes
            // with the daemon for the CPU and, with a full pipe, blocks the daemon's log writes.
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                note(String(decoding: pending[start..<newline], as: UTF8.self), at: now, into: &progress)
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if (progress.outcomes["sent"] ?? 0) >= count { progress.finished = progress.finished ?? clock.now }
        return progress
    }

    private func note(_ line: String, at now: ContinuousClock.Instant, into progress: inout Progress) {
        if progress.started == nil, line.contains("started") { progress.started = now }
        if let range = line.range(of: " outcome=") {
            let outcome = line[range.upperBound...].prefix { $0 != " " }
            progress.outcomes[String(outcome), default: 0] += 1
        }
        if line.hasPrefix("<3>") || line.hasPrefix("<4>"), progress.problems.count < 5 {
            progress.problems.append(line)
        }
    }

    /// Stops the daemon with SIGTERM (it records the sends in flight) and waits for it to exit.
    func stop() {
        if process.isRunning { process.terminate() }
        // Drain the pipe so the daemon never blocks writing its last lines.
        let handle = pipe.fileHandleForReading
        DispatchQueue.global().async { _ = handle.readDataToEndOfFile() }
        process.waitUntilExit()
    }
}
