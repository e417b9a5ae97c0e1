#if PostgreSQL
    import Foundation
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Claims are leases: daemons claiming together never take a row twice; a lease lasts while its heartbeat
    /// renews it; a daemon whose row was taken over may not start its transfer, nor record over the new holder.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct ClaimLeaseTests {
        @Test func threeDaemonsClaimEveryRowExactlyOnce() async throws {
            let cluster = try await ClusterFixture.make("claims", daemons: 3)
            defer { Task { await cluster.shutdown() } }
            let planned = try await cluster.planSends(2000)
            #expect(planned.count == 2000)
            let claims = try await withThrowingTaskGroup(of: [PlannedSend].self) { group in
                for store in cluster.stores {
                    group.addTask {
                        var mine: [PlannedSend] = []
                        while true {
                            let batch = try await store.claimDue(now: ClusterFixture.at(1), limit: 37)
                            if batch.isEmpty { return mine }
                            mine += batch
                        }
                    }
                }
                var all: [[PlannedSend]] = []
                for try await claimed in group { all.append(claimed) }
                return all
            }
            let ids = claims.flatMap { $0.map(\.id) }
            #expect(ids.count == 2000, "every row claimed once in all")
            #expect(Set(ids) == Set(planned.map(\.id)), "together they claim every row")
            #expect(claims.allSatisfy { !$0.isEmpty }, "each daemon claimed some: \(claims.map(\.count))")
            #expect(claims.allSatisfy { $0.allSatisfy { $0.state == .inFlight } })
            // Each row is held by the daemon that claimed it, with a lease of 30 s from the claim.
            let owners = try cluster.scalar(
                "SELECT owner, COUNT(*), MIN(lease_until), MAX(lease_until) FROM planned_sends GROUP BY owner ORDER BY owner"
            )
            let expected = zip(cluster.stores, claims).map { store, claimed in
                "\(store.instance.id)|\(claimed.count)|1700000031000|1700000031000"
            }
            #expect(owners.split(separator: "\n").map(String.init) == expected)
        }

        @Test func aHeartbeatKeepsLeasesAliveAndTheirExpiryLetsAnotherDaemonIn() async throws {
            let cluster = try await ClusterFixture.make("heartbeat", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            _ = try await cluster.planSends(3)
            #expect(try await a.claimDue(now: ClusterFixture.at(0), limit: 3).count == 3)
            try await a.heartbeat(at: ClusterFixture.at(25))
            let early = try await b.reclaimExpired(at: ClusterFixture.at(40))
            #expect(early == ReclaimedSends(), "renewed at 25 s: held until 55 s")
            #expect(
                try await a.markStarted(try #require(try await a.inFlightSends().first).id, at: ClusterFixture.at(41)))
            let late = try await b.reclaimExpired(at: ClusterFixture.at(56))
            #expect(late.requeued.count == 2)
            #expect(late.possiblyTransmitted.count == 1)
            let daemons = try await b.daemons(since: ClusterFixture.at(0))
            #expect(daemons.map(\.instance.id) == [a.instance.id])
            #expect(daemons.first?.heartbeatAt == ClusterFixture.at(25))
        }

        @Test func markStartedRefusesARowTakenOver() async throws {
            let cluster = try await ClusterFixture.make("fence", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            let send = try #require(try await cluster.planSends(1).first)
            _ = try await a.claimDue(now: ClusterFixture.at(0), limit: 1)
            #expect(!(try await b.markStarted(send.id, at: ClusterFixture.at(1))), "not B's row")
            #expect(!(try await a.markStarted(send.id, at: ClusterFixture.at(31))), "A's lease ran out at 30 s")
            #expect(try await b.reclaimExpired(at: ClusterFixture.at(31)).requeued.map(\.id) == [send.id])
            #expect(try await b.claimDue(now: ClusterFixture.at(32), limit: 1).map(\.id) == [send.id])
            // A's clock may lag: its lease would still run, but the row is B's now.
            #expect(!(try await a.markStarted(send.id, at: ClusterFixture.at(5))))
            #expect(try await b.markStarted(send.id, at: ClusterFixture.at(33)))
            #expect(
                try cluster.scalar("SELECT owner, transfer_started_at FROM planned_sends")
                    == "\(b.instance.id)|1700000033000")
        }

        @Test func aStaleRecordDoesNotOverwriteTheNewHolder() async throws {
            let cluster = try await ClusterFixture.make("stale", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            let send = try #require(try await cluster.planSends(1).first)
            _ = try await a.claimDue(now: ClusterFixture.at(0), limit: 1)
            #expect(try await a.markStarted(send.id, at: ClusterFixture.at(1)))
            let taken = try await b.reclaimExpired(at: ClusterFixture.at(31))
            #expect(taken.possiblyTransmitted.map(\.id) == [send.id])
            // A finishes late: its outcome is dropped, the row stays B's to record.
            let line = SendLogEntry(
                at: ClusterFixture.at(32), sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence,
                step: send.step, messageID: send.messageID, state: .sent, attempt: 1, code: 250,
                recipientDomain: send.leadEmail.domain)
            try await a.record(
                send.id, update: SendUpdate(state: .sent, attempted: true, code: 250), log: line, next: nil,
                at: ClusterFixture.at(32))
            #expect(try await b.send(send.id)?.state == .inFlight)
            #expect(try await b.log(SendLogFilter()).isEmpty)
            var unknown = line
            unknown.state = .unknown
            try await b.record(
                send.id, update: SendUpdate(state: .unknown, attempted: true), log: unknown, next: nil,
                at: ClusterFixture.at(33))
            #expect(try await b.send(send.id)?.state == .unknown)
            #expect(try await b.send(send.id)?.attempts == 1)
            #expect(try cluster.scalar("SELECT COALESCE(owner, 'none') FROM planned_sends") == "none")
        }
    }
#endif
