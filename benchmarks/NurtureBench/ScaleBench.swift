// `nurture-bench plan`: what planning and finding the next due send cost at the store's current size.
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import NurtureTemplates

/// Measures, on the store a configuration names (a scratch store: the `after` phase claims a few rows):
///
/// - `--phase before` (just after an import, every enrollment still needs its first step planned): the
///   `enrollmentsNeedingPlan` query, then `--batches` passes of the real ``Scheduler`` on a virtual clock
///   (planning only: run it with a configuration whose send window is closed, so nothing is due), giving the
///   time to plan one enrollment;
/// - `--phase after` (after the daemon planned everything): `earliestWaiting`, `claimDue` when nothing is
///   due, `claimDue` of the one earliest row, and `enrollmentsNeedingPlan` with nothing to plan.
///
/// Prints one line per figure and writes them as a JSON object to `--json FILE`.
enum ScaleBench {
    static let usage =
        "usage: nurture-bench plan --config FILE --phase before|after [--batches N] [--json FILE]"

    /// Parses `arguments` (after `plan`), runs, prints, and returns the exit status.
    static func main(_ arguments: [String]) async -> Int32 {
        guard
            let flags = Flags.parse(
                arguments, usage: usage, required: ["--config", "--phase"],
                allowed: ["--config", "--phase", "--batches", "--json"]),
            let batches = flags["--batches"] == nil ? 20 : flags.positiveInt("--batches")
        else { return 64 }
        let (config, phase, json) = (flags["--config"], flags["--phase"], flags["--json"])
        guard let config, let phase, ["before", "after"].contains(phase) else {
            printError(usage)
            return 64
        }
        do {
            let configuration = try ConfigurationLoader().load(file: config)
            let store = try SQLiteStore(path: configuration.storePath)
            var figures: [String: Double] = ["leads": Double(try await store.leadCount())]
            if phase == "before" {
                try await measureBefore(store, configuration: configuration, batches: batches, into: &figures)
            } else {
                try await measureAfter(store, into: &figures)
            }
            for key in figures.keys.sorted() { print("\(key): " + String(format: "%.6g", figures[key]!)) }
            if let json {
                let data = try JSONSerialization.data(withJSONObject: figures, options: [.prettyPrinted, .sortedKeys])
                try data.write(to: URL(fileURLWithPath: json))
            }
            return 0
        } catch {
            printError("plan benchmark: \(error)")
            return 1
        }
    }

    /// Finding enrollments to plan, and planning them with the real scheduler.
    static func measureBefore(
        _ store: SQLiteStore, configuration: NurtureConfiguration, batches: Int, into figures: inout [String: Double]
    ) async throws {
        let batch = 500
        figures["enrollments_needing_plan_ms"] = try await median(21) {
            _ = try await store.enrollmentsNeedingPlan(limit: batch)
        }
        let library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
        let clock = VirtualClock(start: Date())
        let scheduler = Scheduler(
            store: store,
            runtime: Scheduler.Runtime(
                configuration: configuration, builder: MessageBuilder(configuration: configuration, library: library),
                policy: configuration.scheduling),
            clock: clock, timer: clock, options: Scheduler.Options(concurrency: 1, planBatch: batch),
            makeTransport: { _ in NoTransport() }, emit: { _ in })
        let waitingBefore = try await store.stateCounts()[.planned] ?? 0
        let started = ContinuousClock.now
        for _ in 0..<batches { await scheduler.pass() }
        let elapsed = seconds(ContinuousClock.now - started)
        let planned = (try await store.stateCounts()[.planned] ?? 0) - waitingBefore
        figures["enrollments_planned"] = Double(planned)
        figures["plan_per_enrollment_us"] = planned > 0 ? elapsed / Double(planned) * 1e6 : 0
        if try await store.stateCounts()[.inFlight] != nil {
            throw BenchFailure("a send became due while measuring planning; use a configuration whose window is closed")
        }
    }

    /// Finding the next due send once everything is planned.
    static func measureAfter(_ store: SQLiteStore, into figures: inout [String: Double]) async throws {
        figures["planned_sends"] = Double(try await store.stateCounts().values.reduce(0, +))
        figures["earliest_waiting_ms"] = try await median(201) { _ = try await store.earliestWaiting() }
        figures["claim_due_none_ms"] = try await median(201) {
            let claimed = try await store.claimDue(now: Date(timeIntervalSince1970: 0), limit: 4)
            if !claimed.isEmpty { throw BenchFailure("rows due in 1970") }
        }
        figures["claim_due_one_ms"] = try await median(21) {
            guard let earliest = try await store.earliestWaiting() else { throw BenchFailure("no waiting rows") }
            let claimed = try await store.claimDue(now: earliest, limit: 1)
            if claimed.count != 1 { throw BenchFailure("claimed \(claimed.count) rows, expected 1") }
        }
        figures["enrollments_needing_plan_empty_ms"] = try await median(201) {
            _ = try await store.enrollmentsNeedingPlan(limit: 500)
        }
    }

    /// The median wall-clock time of `runs` calls of `body`, in milliseconds.
    static func median(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            try await body()
            times.append(seconds(ContinuousClock.now - started) * 1e3)
        }
        return times.sorted()[times.count / 2]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A benchmark precondition that did not hold.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// Stands in for the relay while measuring planning: nothing is due, so nothing is sent.
struct NoTransport: MessageTransport {
    func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome {
        DeliveryOutcome(kind: .configurationError, reply: nil, transportDetail: "the planning benchmark sends nothing")
    }

    func shutdown() async {}
}
