#if PostgreSQL
    import Foundation
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Taking over the rows of a daemon that stopped renewing its leases, by issue 7's rules.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct ReclaimTests {
        @Test func aRowNeverStartedWaitsAgainInItsStateBeforeTheClaim() async throws {
            let cluster = try await ClusterFixture.make("requeue", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            let sends = try await cluster.planSends(2)
            // The first was deferred once (an attempt) before A claimed it again; the second is fresh.
            _ = try await a.claimDue(now: ClusterFixture.at(0), limit: 1)
            let deferral = SendLogEntry(
                at: ClusterFixture.at(1), sendID: sends[0].id, leadEmail: sends[0].leadEmail,
                sequence: sends[0].sequence, step: sends[0].step, messageID: sends[0].messageID, state: .deferred,
                attempt: 1, code: 421, recipientDomain: sends[0].leadEmail.domain)
            try await a.record(
                sends[0].id,
                update: SendUpdate(state: .deferred, nextAttemptAt: ClusterFixture.at(5), attempted: true, code: 421),
                log: deferral, next: nil, at: ClusterFixture.at(1))
            #expect(try await a.claimDue(now: ClusterFixture.at(10), limit: 2).count == 2)
            #expect(try await b.reclaimExpired(at: ClusterFixture.at(40)) == ReclaimedSends(), "held until 40 s")
            let reclaimed = try await b.reclaimExpired(at: ClusterFixture.at(41))
            #expect(reclaimed.possiblyTransmitted.isEmpty)
            #expect(reclaimed.requeued.map(\.id) == sends.map(\.id))
            #expect(reclaimed.requeued.map(\.state) == [.deferred, .planned])
            #expect(reclaimed.requeued.map(\.attempts) == [1, 0], "attempts unchanged")
            #expect(reclaimed.requeued.map(\.nextAttemptAt) == [ClusterFixture.at(5), ClusterFixture.at(0)])
            let lines = try await b.log(SendLogFilter(since: ClusterFixture.at(41)))
            #expect(lines.map(\.state) == [.deferred, .planned])
            let detail =
                "the daemon holding it (\(a.instance.id)) stopped renewing its lease before the transfer started;"
                + " waiting again"
            #expect(lines.map(\.detail) == [detail, detail])
            #expect(try cluster.scalar("SELECT COUNT(*) FROM planned_sends WHERE owner IS NOT NULL") == "0")
            // Waiting again: any daemon may claim them.
            #expect(try await b.claimDue(now: ClusterFixture.at(42), limit: 5).count == 2)
        }

        @Test func aStartedRowIsHeldByTheReclaimerToRecordUnknown() async throws {
            let cluster = try await ClusterFixture.make("started", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            let send = try #require(try await cluster.planSends(1).first)
            _ = try await a.claimDue(now: ClusterFixture.at(0), limit: 1)
            #expect(try await a.markStarted(send.id, at: ClusterFixture.at(2)))
            let reclaimed = try await b.reclaimExpired(at: ClusterFixture.at(31))
            #expect(reclaimed.requeued.isEmpty)
            #expect(reclaimed.possiblyTransmitted.map(\.id) == [send.id])
            #expect(reclaimed.possiblyTransmitted.first?.state == .inFlight)
            #expect(
                try cluster.scalar("SELECT owner, lease_until, transfer_started_at FROM planned_sends")
                    == "\(b.instance.id)|1700000061000|1700000002000")
            // B holds it now: its heartbeat renews the lease, and a third reclaim finds nothing.
            try await b.heartbeat(at: ClusterFixture.at(50))
            #expect(try await a.reclaimExpired(at: ClusterFixture.at(70)) == ReclaimedSends())
        }

        @Test func aReplySavedBeforeTheDaemonDiedIsHandedToTheReclaimer() async throws {
            let cluster = try await ClusterFixture.make("replied", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            let sends = try await cluster.planSends(3)
            _ = try await a.claimDue(now: ClusterFixture.at(0), limit: 3)
            let accepted = TransferReply(
                sendID: sends[0].id, attempt: 1, result: .accepted, code: 250, enhancedCode: "2.0.0",
                text: "queued as 7F3A", phase: .endOfData)
            // The first reply rides on the next transfer's start; the second is saved on its own.
            #expect(try await a.markStarted(sends[0].id, at: ClusterFixture.at(1)))
            #expect(try await a.markStarted(sends[1].id, at: ClusterFixture.at(2), saving: [accepted]))
            let refused = TransferReply(
                sendID: sends[1].id, attempt: 1, result: .failed, code: 550, enhancedCode: "5.1.1",
                text: "no such user",
                phase: .rcptTo)
            try await a.saveReplies([refused])
            // The third started and never answered; a reply for an earlier attempt of it says nothing.
            #expect(try await a.markStarted(sends[2].id, at: ClusterFixture.at(3)))
            try await a.saveReplies([TransferReply(sendID: sends[2].id, attempt: 0, result: .accepted, code: 250)])
            let reclaimed = try await b.reclaimExpired(at: ClusterFixture.at(40))
            #expect(reclaimed.possiblyTransmitted.map(\.id) == sends.map(\.id))
            #expect(reclaimed.replies == [sends[0].id: accepted, sends[1].id: refused])
            // B holds them now: A can no longer write a reply to them.
            try await a.saveReplies([TransferReply(sendID: sends[2].id, attempt: 1, result: .accepted, code: 250)])
            #expect(
                try cluster.scalar(
                    "SELECT transfer_reply LIKE '%\"attempt\":1%' FROM planned_sends WHERE id = \(sends[2].id)") == "f")
        }

        @Test func twoReclaimersNeverTakeTheSameRow() async throws {
            let cluster = try await ClusterFixture.make("reclaimers", daemons: 3)
            defer { Task { await cluster.shutdown() } }
            let (a, b, c) = (cluster.stores[0], cluster.stores[1], cluster.stores[2])
            let sends = try await cluster.planSends(400)
            let claimed = try await a.claimDue(now: ClusterFixture.at(0), limit: 400)
            for send in claimed where send.id % 2 == 0 {
                _ = try await a.markStarted(send.id, at: ClusterFixture.at(1))
            }
            async let first = b.reclaimExpired(at: ClusterFixture.at(31))
            async let second = c.reclaimExpired(at: ClusterFixture.at(31))
            let (one, two) = try await (first, second)
            let requeued = (one.requeued + two.requeued).map(\.id)
            let held = (one.possiblyTransmitted + two.possiblyTransmitted).map(\.id)
            #expect(requeued.count + held.count == sends.count, "each row taken over once")
            #expect(Set(requeued + held) == Set(sends.map(\.id)))
            let started: Set<Int64> = Set(sends.map(\.id).filter { $0 % 2 == 0 })
            #expect(Set(held) == started)
            // Each started row is held by the daemon that took it.
            let holders = try cluster.scalar(
                "SELECT owner, COUNT(*) FROM planned_sends WHERE state = 'in-flight' GROUP BY owner ORDER BY owner")
            var expected: [String] = []
            for (store, taken) in [(b, one), (c, two)] where !taken.possiblyTransmitted.isEmpty {
                expected.append("\(store.instance.id)|\(taken.possiblyTransmitted.count)")
            }
            let lines = holders.split(separator: "\n").map(String.init)
            #expect(lines == expected)
        }
    }
#endif
