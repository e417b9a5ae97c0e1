import Foundation
import Synchronization

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

    /// Reads the log until `count` sends are recorded `sent` (by this daemon, or with `tally`, by all the
    /// daemons that share it), the daemon exits, or `timeout` seconds pass.
    func waitForSent(_ count: Int, timeout: Double, tally: SentTally? = nil) -> Progress {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(timeout * 1000))
        let process = self.process
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        var progress = Progress()
        let handle = pipe.fileHandleForReading
        var done: Bool { tally?.isDone ?? ((progress.outcomes["sent"] ?? 0) >= count) }
        while !done, clock.now < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            let now = clock.now
            let sentBefore = progress.outcomes["sent"] ?? 0
            pending.append(contentsOf: chunk)
            // One pass over the chunk and one removal per chunk: the reader must stay cheap, or it competes
            // with the daemon for the CPU and, with a full pipe, blocks the daemon's log writes.
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                note(String(decoding: pending[start..<newline], as: UTF8.self), at: now, into: &progress)
                start = newline + 1
            }
            pending.removeSubrange(..<start)
            tally?.add((progress.outcomes["sent"] ?? 0) - sentBefore, at: now)
        }
        if let tally {
            progress.finished = tally.finished
        } else if (progress.outcomes["sent"] ?? 0) >= count {
            progress.finished = progress.finished ?? clock.now
        }
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

    /// Reads the logs of several daemons on one store, each on a thread of its own, until their `sent` lines
    /// add up to `count` (or `timeout` passes); the progress of all of them together: started at the first
    /// `started` line, finished when the total reached `count`.
    static func waitForSent(_ count: Int, timeout: Double, of daemons: [DaemonProcess]) -> Progress {
        let tally = SentTally(target: count)
        let results = Mutex<[Progress]>([])
        let group = DispatchGroup()
        for daemon in daemons {
            nonisolated(unsafe) let daemon = daemon
            DispatchQueue.global().async(group: group) {
                let progress = daemon.waitForSent(count, timeout: timeout, tally: tally)
                results.withLock { $0.append(progress) }
            }
        }
        // The readers of the daemons that did not send the last message wait for their next log line: stopping
        // the daemons ends those reads. The callers stop them; here, wait for the total only.
        let deadline = Date().addingTimeInterval(timeout)
        while !tally.isDone, Date() < deadline, group.wait(timeout: .now() + 0.05) == .timedOut {}
        for daemon in daemons { daemon.stop() }
        group.wait()
        var merged = Progress()
        for progress in results.withLock({ $0 }) {
            if let started = progress.started, merged.started.map({ started < $0 }) ?? true {
                merged.started = started
            }
            merged.outcomes.merge(progress.outcomes, uniquingKeysWith: +)
            merged.problems += progress.problems
        }
        merged.finished = tally.finished
        return merged
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

/// The `sent` lines of several daemons added up, and when they reached the target.
final class SentTally: Sendable {
    private let state = Mutex<(sent: Int, finished: ContinuousClock.Instant?)>((0, nil))
    let target: Int

    init(target: Int) { self.target = target }

    /// Adds `count` sends seen at `now`.
    func add(_ count: Int, at now: ContinuousClock.Instant) {
        guard count > 0 else { return }
        state.withLock { state in
            state.sent += count
            if state.sent >= target, state.finished == nil { state.finished = now }
        }
    }

    var isDone: Bool { state.withLock { $0.finished != nil } }
    var finished: ContinuousClock.Instant? { state.withLock { $0.finished } }
}
