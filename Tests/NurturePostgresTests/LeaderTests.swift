#if PostgreSQL
    import Foundation
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// The leader lease: one holder at a time, renewed by its holder, taken over after it expires or is given up.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct LeaderTests {
        @Test func oneLeaderAtATimeAndFailoverAfterExpiry() async throws {
            let cluster = try await ClusterFixture.make("leader", daemons: 3)
            defer { Task { await cluster.shutdown() } }
            let (a, b, c) = (cluster.stores[0], cluster.stores[1], cluster.stores[2])
            #expect(try await a.holdLeadership(at: ClusterFixture.at(0)))
            #expect(!(try await b.holdLeadership(at: ClusterFixture.at(1))))
            #expect(try await a.holdLeadership(at: ClusterFixture.at(10)), "renewed until 40 s")
            #expect(!(try await c.holdLeadership(at: ClusterFixture.at(39))))
            #expect(try await b.holdLeadership(at: ClusterFixture.at(41)), "A stopped renewing: B takes over")
            #expect(!(try await a.holdLeadership(at: ClusterFixture.at(42))), "A is no longer the leader")
            for store in cluster.stores { try await store.heartbeat(at: ClusterFixture.at(43)) }
            let daemons = try await c.daemons(since: ClusterFixture.at(0))
            #expect(daemons.map(\.isLeader) == [false, true, false])
            // A clean stop gives the lease up at once.
            try await b.signOff(at: ClusterFixture.at(44))
            #expect(try await c.holdLeadership(at: ClusterFixture.at(45)))
            let after = try await c.daemons(since: ClusterFixture.at(0))
            #expect(after.map(\.stoppedAt) == [nil, ClusterFixture.at(44), nil])
        }

        @Test func daemonsTryingTogetherElectExactlyOne() async throws {
            let cluster = try await ClusterFixture.make("election", daemons: 3)
            defer { Task { await cluster.shutdown() } }
            for round in 0..<20 {
                // Each round starts after the previous lease expired.
                let at = ClusterFixture.at(Double(round) * 31)
                let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for store in cluster.stores { group.addTask { try await store.holdLeadership(at: at) } }
                    var count = 0
                    for try await won in group where won { count += 1 }
                    return count
                }
                #expect(winners == 1, "round \(round)")
            }
        }
    }
#endif
