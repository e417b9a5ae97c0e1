#if PostgreSQL
    import Foundation
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Rate limits reserved in the database hold across daemons.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct ReservationTests {
        static func keys(_ send: PlannedSend) -> RateKeys {
            RateKeys(
                all: true, sender: "news@acme.example", domain: send.leadEmail.domain,
                lead: send.leadEmail.description.lowercased())
        }

        @Test func threeDaemonsTogetherAdmitExactlyTheDomainLimit() async throws {
            let cluster = try await ClusterFixture.make("reserve", daemons: 3)
            defer { Task { await cluster.shutdown() } }
            _ = try await cluster.planSends(90)
            let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in cluster.stores {
                    group.addTask {
                        let claimed = try await store.claimDue(now: ClusterFixture.at(0), limit: 30)
                        var reserved = 0
                        for send in claimed {
                            let answer = try await store.reserve(
                                send.id, keys: Self.keys(send), at: ClusterFixture.at(1),
                                admit: { $0.counts.domainLastHour < 30 })
                            if answer.reserved { reserved += 1 }
                        }
                        return reserved
                    }
                }
                var total = 0
                for try await count in group { total += count }
                return total
            }
            #expect(admitted == 30)
            #expect(try cluster.scalar("SELECT COUNT(*) FROM rate_reservations") == "30")
        }

        @Test func countsAreTheLogPlusLiveReservationsUntilRecorded() async throws {
            let cluster = try await ClusterFixture.make("counts", daemons: 2)
            defer { Task { await cluster.shutdown() } }
            let (a, b) = (cluster.stores[0], cluster.stores[1])
            _ = try await cluster.planSends(3)
            let mine = try await a.claimDue(now: ClusterFixture.at(0), limit: 2)
            let theirs = try #require(try await b.claimDue(now: ClusterFixture.at(0), limit: 1).first)
            let first = try await a.reserve(mine[0].id, keys: Self.keys(mine[0]), at: ClusterFixture.at(1)) { _ in true
            }
            #expect(first.snapshot == RateSnapshot(counts: RateCounts(), lastSentToLead: nil))
            let second = try await b.reserve(theirs.id, keys: Self.keys(theirs), at: ClusterFixture.at(2)) { _ in true }
            #expect(
                second.snapshot.counts
                    == RateCounts(lastMinute: 1, senderLast24Hours: 1, domainLastHour: 1), "A's reservation counts")
            // A records its send: the reservation ends and the log line counts instead, with the lead's last send.
            let line = SendLogEntry(
                at: ClusterFixture.at(3), sendID: mine[0].id, leadEmail: mine[0].leadEmail,
                sequence: mine[0].sequence, step: mine[0].step, messageID: mine[0].messageID, state: .sent,
                attempt: 1, code: 250, sender: "news@acme.example", recipientDomain: mine[0].leadEmail.domain)
            try await a.record(
                mine[0].id, update: SendUpdate(state: .sent, attempted: true, code: 250), log: line, next: nil,
                at: ClusterFixture.at(3))
            #expect(try cluster.scalar("SELECT COUNT(*) FROM rate_reservations") == "1")
            let third = try await a.reserve(mine[1].id, keys: Self.keys(mine[0]), at: ClusterFixture.at(4)) { _ in false
            }
            #expect(!third.reserved)
            #expect(third.snapshot.counts == RateCounts(lastMinute: 2, senderLast24Hours: 2, domainLastHour: 2))
            // mine[0]'s lead: sent at 3 s, and nothing of it reserved now.
            #expect(third.snapshot.lastSentToLead == ClusterFixture.at(3))
            // Outside the minute the global count drops; a released claim's reservation counts for nothing.
            try await b.releaseInFlight([theirs.id], detail: "stopping", at: ClusterFixture.at(5))
            let later = try await a.reserve(mine[1].id, keys: Self.keys(mine[1]), at: ClusterFixture.at(70)) { _ in true
            }
            #expect(later.snapshot.counts == RateCounts(lastMinute: 0, senderLast24Hours: 1, domainLastHour: 1))
            #expect(later.snapshot.lastSentToLead == nil)
        }
    }
#endif
