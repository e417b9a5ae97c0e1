#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurtureTestSupport
    import Testing

    @testable import NurturePostgres

    /// The leader's fold of the count changes, a chunk at a time: a backlog larger than a chunk is folded in several
    /// short transactions, and the counts read the same before, during and after.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct SendCountFoldTests {
        @Test func aBacklogIsFoldedAChunkAtATimeAndTheCountsNeverChange() async throws {
            let settings = try PostgresPeer.freshDatabase("fold")
            let store = try PostgresStore.started(
                settings, instance: .current(host: "fold", pid: 1, at: StoreContract.t0), logger: Logger(label: "fold"))
            do {
                try await store.migrate()
                for index in 0..<60 { _ = try await StoreContract.plannedSend(store, "lead\(index)@example.com") }
                _ = try await store.claimDue(now: StoreContract.at(10), limit: 25)
                let changes = "SELECT count(*) FROM send_count_changes"
                #expect(
                    try PostgresPeer.psql(changes, database: settings.database) == "110",
                    "60 plans, 25 claims (-1 and +1 each)")
                let counts = try await store.stateCounts()
                #expect(counts == [.planned: 35, .inFlight: 25])
                try await store.foldCounts(chunk: 20)
                #expect(try PostgresPeer.psql(changes, database: settings.database) == "0", "six chunks, all moved")
                #expect(try await store.stateCounts() == counts)
                #expect(
                    try PostgresPeer.psql(
                        "SELECT state || '=' || n FROM send_counts ORDER BY state", database: settings.database)
                        == "in-flight=25\nplanned=35", "the counts hold the sums, the changes are gone")
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        }
    }
#endif
