import Foundation
import NurtureConfig
import NurtureCore
import NurtureSQLite

/// `nurture-bench punctuality`: how late the real daemon starts each send against its due time.
///
/// Usage: nurture-bench punctuality --nurture BINARY --config FILE --sends N [--timeout SECONDS]
///
/// Starts `nurture run` on the configuration, whose store `seed --start-in S --spread W` filled with N sends
/// due at spread-out moments, waits until the log shows all N recorded `sent`, stops the daemon, and reads
/// from the store, for each send, its lateness: the attempt's `started_at` (when the message was handed to
/// a connection, kept in the send log) minus the row's `due_at`. Prints
///
///     nurture punctuality: N sends due over W s; lateness p50 X ms, p99 Y ms, max Z ms
///
/// and exits 1 unless every send was recorded `sent`.
enum PunctualityCommand {
    static let usage =
        "usage: nurture-bench punctuality --nurture BINARY --config FILE --sends N [--timeout SECONDS]"

    /// Runs the subcommand; returns the exit status.
    static func main(_ arguments: [String]) async -> Int32 {
        guard let flags = Flags.parse(arguments, usage: usage, required: ["--nurture", "--config", "--sends"]),
            let sends = flags.positiveInt("--sends")
        else { return 64 }
        do {
            let configuration = try ConfigurationLoader().load(file: flags["--config"]!)
            let daemon = try DaemonProcess(binary: flags["--nurture"]!, config: flags["--config"]!)
            let progress = daemon.waitForSent(sends, timeout: flags.double("--timeout") ?? 600)
            daemon.stop()
            for problem in progress.problems { printError("daemon: \(problem)") }
            let store = try SQLiteStore(path: configuration.storePath)
            let sent = try await store.log(SendLogFilter(state: .sent))
            guard sent.count == sends else {
                printError("punctuality: \(sent.count) of \(sends) sends were recorded sent")
                return 1
            }
            var lateness: [Double] = []
            var due: [Date] = []
            lateness.reserveCapacity(sent.count)
            for entry in sent {
                guard let started = entry.startedAt, let row = try await store.send(entry.sendID) else {
                    printError("punctuality: send \(entry.sendID) has no attempt start time")
                    return 1
                }
                lateness.append(started.timeIntervalSince(row.dueAt) * 1000)
                due.append(row.dueAt)
            }
            lateness.sort()
            let span = (due.max()!.timeIntervalSince(due.min()!))
            print(
                "nurture punctuality: \(sends) sends due over "
                    + String(
                        format: "%.0f s; lateness p50 %.1f ms, p99 %.1f ms, max %.1f ms (min %.1f ms)", span,
                        percentile(lateness, 0.50), percentile(lateness, 0.99), lateness.last!, lateness.first!))
            return 0
        } catch {
            printError("punctuality: \(error)")
            return 1
        }
    }

    /// The nearest-rank percentile `p` (0...1) of sorted `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let rank = Int((p * Double(values.count)).rounded(.up))
        return values[min(values.count - 1, max(0, rank - 1))]
    }
}
