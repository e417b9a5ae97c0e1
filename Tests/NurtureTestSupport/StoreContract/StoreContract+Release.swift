import Foundation
import NurtureCore
import Testing

extension StoreContract {
    /// Claimed sends that never went out return to the waiting state they had (planned, held, deferred) with their
    /// time and attempts; rows not in flight are left alone; ``SendStore/inFlightSends()`` lists what is claimed.
    func releaseInFlightRestoresWaitingState(_ store: any SendStore) async throws {
        let (_, planned) = try await Self.plannedSend(store, "ann@example.com")
        let (_, held) = try await Self.plannedSend(store, "bob@example.com")
        let (_, deferred) = try await Self.plannedSend(store, "cid@example.com")
        let (_, untouched) = try await Self.plannedSend(store, "dee@example.com", offset: 600)
        // bob held once, cid deferred once (one attempt), then all three claimed again.
        #expect(try await store.claimDue(now: Self.t0, limit: 10).count == 3)
        try await store.record(
            held.id, update: SendUpdate(state: .held, nextAttemptAt: Self.at(10), attempted: false, reason: "window"),
            log: Self.logLine(held, .held, attempt: 0, at: 1), next: nil, at: Self.at(1))
        try await store.record(
            deferred.id,
            update: SendUpdate(
                state: .deferred, nextAttemptAt: Self.at(10), attempted: true, code: 451, reply: "later"),
            log: Self.logLine(deferred, .deferred, attempt: 1, at: 1, code: 451), next: nil, at: Self.at(1))
        #expect(try await store.claimDue(now: Self.at(10), limit: 10).count == 2)
        #expect(try await store.inFlightSends().map(\.id) == [planned.id, held.id, deferred.id])

        let released = try await store.releaseInFlight(
            [planned.id, held.id, deferred.id, untouched.id], detail: "never sent", at: Self.at(20))
        #expect(released.map(\.id) == [planned.id, held.id, deferred.id], "a row not in flight is left alone")
        #expect(try await store.send(planned.id)?.state == .planned)
        #expect(try await store.send(held.id)?.state == .held)
        let retried = try #require(try await store.send(deferred.id))
        #expect(retried.state == .deferred)
        #expect(retried.attempts == 1, "no attempt counted for a send that never went out")
        #expect(retried.nextAttemptAt == Self.at(10))
        #expect(retried.lastCode == 451)
        #expect(try await store.send(untouched.id)?.state == .planned)
        #expect(try await store.inFlightSends().isEmpty)
        let lines = try await store.log(SendLogFilter()).filter { $0.at == Self.at(20) }
        #expect(lines.map(\.sendID) == [planned.id, held.id, deferred.id])
        #expect(lines.map(\.state) == [.planned, .held, .deferred])
        #expect(lines.allSatisfy { $0.detail == "never sent" && $0.attempt == 0 })
        #expect(try await store.claimDue(now: Self.at(10), limit: 10).count == 3, "waiting again, claimable again")
    }
}
