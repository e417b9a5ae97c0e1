#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurtureDaemon
    import NurtureMetrics
    import NurturePostgres
    import NurtureTestSupport
    import Prometheus
    import ServiceLifecycle
    import Testing

    @testable import NurtureServer

    /// The cluster loop as a service, on a real PostgreSQL database: it heartbeats, takes the leader lease (the
    /// scheduler and the metrics see it) and, on a graceful shutdown after the scheduler stopped, signs off.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason), .timeLimit(.minutes(2)))
    struct ClusterServiceTests {
        static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }

        @Test("ticks every lease / 3: heartbeat and leadership; signs off when the group shuts down")
        func heartbeatsLeadsAndSignsOff() async throws {
            var settings = try PostgresPeer.freshDatabase("clustersvc")
            settings.leaseSeconds = 3
            let instance = DaemonInstance.current(host: "svc", pid: 1, at: Date())
            let store = try PostgresStore.started(settings, instance: instance, logger: Self.logger)
            try await store.migrate()
            let loader = RuntimeLoader(log: Self.logger, templateProblems: { _ in [] })
            let runtime = try #require(
                loader.load(
                    file: SchedulerServiceTests.repositoryRoot.appendingPathComponent("config/nurture.yaml").path))
            let scheduler = Scheduler(
                store: store, runtime: runtime, clock: SystemClock(), timer: DispatchWakeTimer(),
                options: Scheduler.Options(concurrency: 1),
                makeTransport: { _ in UnusableTransport(problem: "no relay in this test") }, emit: { _ in })
            #expect(!scheduler.leadership.isLeader, "on a shared store, not the leader before the first tick")
            let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
            let service = ClusterService(scheduler: scheduler, store: store, metrics: metrics, log: Self.logger)
            let group = ServiceGroup(services: [service], logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await eventually { scheduler.leadership.isLeader }
                let running = try await store.daemons(since: Date().addingTimeInterval(-10))
                #expect(running.map(\.instance.id) == [instance.id])
                #expect(running.first?.isLeader == true)
                #expect(running.first?.stoppedAt == nil)
                // The service sets the gauges right after the tick that made it leader.
                let info = "nurture_daemon_info{instance=\"\(instance.id)\",host=\"svc\",leader=\"true\"} 1"
                try await eventually { metrics.registry.emitToString().contains(info) }
                #expect(metrics.registry.emitToString().contains("nurture_leases_held 0"))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let stopped = try await store.daemons(since: Date().addingTimeInterval(-10))
            #expect(stopped.first?.stoppedAt != nil, "signed off")
            await store.shutdown()
        }
    }
#endif
