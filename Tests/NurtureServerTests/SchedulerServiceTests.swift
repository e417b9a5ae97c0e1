import Foundation
import Logging
import NurtureDaemon
import NurtureSQLite
import NurtureTestSupport
import ServiceLifecycle
import Synchronization
import Testing

@testable import NurtureServer

#if canImport(Glibc)
    import Glibc
#endif

/// The scheduler loop as a service, over a real SQLite store and the shipped configuration and templates: a graceful
/// shutdown is the daemon's stop, and a stop that outlives the group's deadline ends in `onDeadline`.
@Suite(.timeLimit(.minutes(15))) struct SchedulerServiceTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }

    /// What the service reported, in order.
    final class Calls: Sendable {
        let names = Mutex<[String]>([])
        func append(_ name: String) { names.withLock { $0.append(name) } }
        var all: [String] { names.withLock { $0 } }
    }

    /// A scheduler over a fresh store in `directory`, sending nowhere (nothing is due); `beat` is its heartbeat.
    static func scheduler(in directory: URL, beat: @escaping @Sendable () -> Void = {}) throws -> Scheduler {
        let loader = RuntimeLoader(log: logger, templateProblems: { _ in [] })
        let runtime = try #require(loader.load(file: repositoryRoot.appendingPathComponent("config/nurture.yaml").path))
        let store = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
        return Scheduler(
            store: store, runtime: runtime, clock: SystemClock(), timer: DispatchWakeTimer(),
            options: Scheduler.Options(concurrency: 1),
            makeTransport: { _ in UnusableTransport(problem: "no relay in this test") }, emit: { _ in },
            heartbeat: beat)
    }

    /// A heartbeat that reports the loop's first pass, and a wait for it.
    static func firstBeat() -> (beat: @Sendable () -> Void, wait: () async -> Void) {
        let (beats, beat) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        return ({ beat.yield() }, { for await _ in beats { return } })
    }

    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    @Test("a graceful shutdown stops the scheduler once and the service returns; the deadline is not reached")
    func gracefulShutdownStops() async throws {
        try await Self.withDirectory { directory in
            let calls = Calls()
            let running = Self.firstBeat()
            let service = SchedulerService(
                scheduler: try Self.scheduler(in: directory, beat: running.beat), started: StartGate(open: true),
                onStop: { calls.append("stop") }, onDeadline: { calls.append("deadline") })
            var configuration = ServiceGroupConfiguration(services: [service], logger: Self.logger)
            // A deadline far beyond the bound below, so that the bound can tell a stop that waited for it.
            configuration.maximumGracefulShutdownDuration = hangBound * 2
            let group = ServiceGroup(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await running.wait()
                let started = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                #expect(
                    ContinuousClock.now - started < hangBound,
                    "nothing in flight: the stop does not wait for a deadline")
            }
            #expect(calls.all == ["stop"])
        }
    }

    @Test("a shutdown before start-up completed never starts the scheduler")
    func shutdownBeforeStart() async throws {
        try await Self.withDirectory { directory in
            let calls = Calls()
            let service = SchedulerService(
                scheduler: try Self.scheduler(in: directory), started: StartGate(),
                onStop: { calls.append("stop") }, onDeadline: { calls.append("deadline") })
            let group = ServiceGroup(services: [service], logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await Task.sleep(for: .milliseconds(100))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(calls.all.isEmpty)
        }
    }

    @Test("cancelled without a graceful shutdown: the scheduler stops as if it were one")
    func cancellationStops() async throws {
        try await Self.withDirectory { directory in
            let calls = Calls()
            let running = Self.firstBeat()
            let service = SchedulerService(
                scheduler: try Self.scheduler(in: directory, beat: running.beat), started: StartGate(open: true),
                onStop: { calls.append("stop") }, onDeadline: { calls.append("deadline") })
            let task = Task { await service.run() }
            await running.wait()
            task.cancel()
            await task.value
            #expect(calls.all == ["stop"])
        }
    }
}
