import Foundation
import NurtureConfig
import NurtureCore
import NurtureSMTP

/// `nurture-bench drain`: the real daemon drains a seeded store into a relay; prints its rate.
///
/// Usage: nurture-bench drain --nurture BINARY --config FILE[,FILE...] --sends N [--timeout SECONDS]
///
/// Starts `nurture run` on the configuration (whose store `seed` filled with N due sends), and times from
/// the daemon's `started` log line to the log line of the N-th send recorded `sent` (the daemon logs a
/// send after the store committed it). Then stops the daemon and checks in the store that all N rows are
/// `sent`. With several configuration files (one PostgreSQL store, a state directory each), one daemon per
/// file: the clock starts at the first daemon's `started` line and stops when their `sent` lines add up to
/// N. Prints
///
///     nurture drain: N messages, K connections, D daemons, X.XX s, Y msg/s
///
/// and exits 1 unless every send was recorded `sent`.
enum DrainCommand {
    static let usage =
        "usage: nurture-bench drain --nurture BINARY --config FILE[,FILE...] --sends N [--timeout SECONDS]"

    /// Runs the subcommand; returns the exit status.
    static func main(_ arguments: [String]) async -> Int32 {
        guard let flags = Flags.parse(arguments, usage: usage, required: ["--nurture", "--config", "--sends"]),
            let sends = flags.positiveInt("--sends")
        else { return 64 }
        do {
            let files = flags["--config"]!.split(separator: ",").map(String.init)
            let configuration = try ConfigurationLoader().load(file: files[0])
            let timeout = flags.double("--timeout") ?? 600
            let progress: DaemonProcess.Progress
            if files.count == 1 {
                let daemon = try DaemonProcess(binary: flags["--nurture"]!, config: files[0])
                progress = daemon.waitForSent(sends, timeout: timeout)
                daemon.stop()
            } else {
                let daemons = try files.map { try DaemonProcess(binary: flags["--nurture"]!, config: $0) }
                progress = DaemonProcess.waitForSent(sends, timeout: timeout, of: daemons)
            }
            let counts = try await BenchStore.with(configuration) { store in try await store.stateCounts() }
            let states = SendState.allCases.compactMap { state in counts[state].map { "\(state)=\($0)" } }
            let outcomes = progress.outcomes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            for problem in progress.problems { printError("daemon: \(problem)") }
            guard let started = progress.started, let finished = progress.finished, counts[.sent] == sends else {
                printError("drain: not every send was recorded sent; store: \(states.joined(separator: " "))")
                return 1
            }
            let seconds = (finished - started).seconds
            print(
                "nurture drain: \(sends) messages, \(configuration.relay.poolSize) connections, \(files.count) daemons, "
                    + String(format: "%.2f s, %.0f msg/s", seconds, Double(sends) / max(seconds, 1e-9)))
            print("log outcomes: \(outcomes.joined(separator: " ")); store: \(states.joined(separator: " "))")
            return 0
        } catch {
            printError("drain: \(error)")
            return 1
        }
    }
}
