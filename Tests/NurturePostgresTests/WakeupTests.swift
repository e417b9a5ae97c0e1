#if PostgreSQL
    import Foundation
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Wake-ups between daemons by LISTEN/NOTIFY.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct WakeupTests {
        /// Waits for one wake-up on `stream` while `poke` runs every 100 ms (the listener starts asynchronously,
        /// and a NOTIFY sent before it listens is lost by design), at most `polls` times.
        static func wokenUp(
            _ stream: AsyncStream<Void>, polls: Int = 100, poking poke: @escaping @Sendable () async throws -> Void
        ) async throws -> Bool {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await _ in stream { return true }
                    return false
                }
                group.addTask {
                    for _ in 0..<polls {
                        try await poke()
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    return false
                }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
        }

        @Test func aNotifyFromOneDaemonWakesAnother() async throws {
            let cluster = try await ClusterFixture.make("notify", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            #expect(try await Self.wokenUp(b.wakeups()) { try await a.notifyOthers() })
        }

        @Test func planningWakesTheOthersButNotItself() async throws {
            let cluster = try await ClusterFixture.make("planwake", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            try PostgresPeer.psql(
                "INSERT INTO enrollments (lead_email, sequence, started_at) VALUES ('ann@example.com', 'welcome', 0)",
                database: cluster.settings.database)
            let counter = StepCounter()
            #expect(
                try await Self.wokenUp(b.wakeups()) {
                    let step = await counter.next()
                    _ = try await a.plan(
                        NewPlannedSend(
                            enrollmentID: 1, leadEmail: try EmailAddress("ann@example.com"), sequence: "welcome",
                            step: "step-\(step)", stepNumber: step, track: .marketing, dueAt: ClusterFixture.t0,
                            nextAttemptAt: ClusterFixture.t0, messageID: "<1.\(step)@nurture.example>"),
                        at: ClusterFixture.t0)
                })
            // Its own NOTIFYs do not wake the daemon that sent them.
            #expect(!(try await Self.wokenUp(a.wakeups(), polls: 10) { try await a.notifyOthers() }))
        }

        @Test func theStreamEndsWhenTheStoreStops() async throws {
            let cluster = try await ClusterFixture.make("wakeend", daemons: 1)
            let stream = cluster.stores[0].wakeups()
            try await Task.sleep(for: .milliseconds(200))
            await cluster.shutdown()
            var count = 0
            for await _ in stream { count += 1 }
            #expect(count == 0)
        }
    }

    /// Numbers the steps the pokes plan.
    actor StepCounter {
        private var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
#endif
