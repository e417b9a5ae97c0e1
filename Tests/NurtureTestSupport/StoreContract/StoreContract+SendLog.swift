import Foundation
import NurtureCore
import Testing

extension StoreContract {
    /// Records `state` for `send` (claimed first) at `t0 + seconds` from `sender`.
    func attempt(
        _ store: any SendStore, _ send: PlannedSend, _ state: SendState, at seconds: Double,
        sender: String = "news@acme.example", attempt: Int = 1
    ) async throws {
        _ = try await store.claimDue(now: Self.at(seconds), limit: 100)
        let code = state == .sent ? 250 : 451
        try await store.record(
            send.id,
            update: SendUpdate(
                state: state, nextAttemptAt: state == .deferred ? Self.at(seconds) : nil, attempted: true, code: code),
            log: Self.logLine(send, state, attempt: attempt, at: seconds, code: code, sender: sender), next: nil,
            at: Self.at(seconds))
    }

    func logFilters(_ store: any SendStore) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com", sequence: "welcome")
        let (_, bob) = try await Self.plannedSend(store, "bob@other.example", sequence: "webinar")
        try await attempt(store, ann, .deferred, at: 10)
        try await attempt(store, bob, .sent, at: 20)
        try await attempt(store, ann, .sent, at: 30, attempt: 2)
        let all = try await store.log(SendLogFilter())
        #expect(all.map(\.at) == [Self.at(10), Self.at(20), Self.at(30)])
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.id < $1.id })
        #expect(try await store.log(SendLogFilter(leadEmail: ann.leadEmail)).map(\.state) == [.deferred, .sent])
        #expect(try await store.log(SendLogFilter(leadEmail: Self.address("ANN@example.com"))).count == 2)
        #expect(try await store.log(SendLogFilter(sequence: "webinar")).map(\.sendID) == [bob.id])
        #expect(try await store.log(SendLogFilter(state: .sent)).map(\.sendID) == [bob.id, ann.id])
        #expect(try await store.log(SendLogFilter(since: Self.at(20))).map(\.at) == [Self.at(20), Self.at(30)])
        #expect(try await store.log(SendLogFilter(afterID: all[0].id)).map(\.id) == [all[1].id, all[2].id])
        #expect(try await store.log(SendLogFilter(afterID: all[2].id)).isEmpty)
        #expect(
            try await store.log(SendLogFilter(limit: 2)).map(\.id) == [all[1].id, all[2].id], "newest, oldest first")
        #expect(try await store.log(SendLogFilter(limit: 10)).count == 3)
        #expect(
            try await store.log(SendLogFilter(leadEmail: ann.leadEmail, state: .sent, limit: 5)).map(\.at) == [
                Self.at(30)
            ])
    }

    func sentCount(_ store: any SendStore) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@Other.Example")
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com")
        let (_, dan) = try await Self.plannedSend(store, "dan@example.com")
        try await attempt(store, ann, .sent, at: 10, sender: "news@acme.example")
        try await attempt(store, bob, .sent, at: 20, sender: "sam@acme.example")
        try await attempt(store, cid, .sent, at: 30, sender: "sam@acme.example")
        try await attempt(store, dan, .deferred, at: 40, sender: "sam@acme.example")
        #expect(try await store.sentCount(RateQuery(since: Self.t0)) == 3)
        #expect(try await store.sentCount(RateQuery(since: Self.at(20))) == 2)
        #expect(try await store.sentCount(RateQuery(since: Self.at(31))) == 0)
        #expect(try await store.sentCount(RateQuery(since: Self.t0, sender: "sam@acme.example")) == 2)
        #expect(try await store.sentCount(RateQuery(since: Self.t0, recipientDomain: "example.com")) == 2)
        #expect(try await store.sentCount(RateQuery(since: Self.t0, recipientDomain: "other.example")) == 1)
        let both = RateQuery(since: Self.t0, sender: "sam@acme.example", recipientDomain: "example.com")
        #expect(try await store.sentCount(both) == 1)
    }

    /// An `unknown` send may have reached the relay: the rate-limit queries count it like a `sent` one.
    func sentCountIncludesUnknown(_ store: any SendStore) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com")
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com")
        try await attempt(store, ann, .sent, at: 10, sender: "news@acme.example")
        try await attempt(store, bob, .unknown, at: 20, sender: "news@acme.example")
        try await attempt(store, cid, .failed, at: 30, sender: "news@acme.example")
        #expect(try await store.sentCount(RateQuery(since: Self.t0)) == 2, "sent + unknown; failed does not count")
        #expect(try await store.sentCount(RateQuery(since: Self.t0, sender: "news@acme.example")) == 2)
        #expect(try await store.sentCount(RateQuery(since: Self.t0, recipientDomain: "example.com")) == 2)
        #expect(try await store.sentTimes(RateQuery(since: Self.t0)) == [Self.at(10), Self.at(20)])
        #expect(try await store.sentTimes(RateQuery(since: Self.at(15))) == [Self.at(20)])
    }

    func suppressions(_ store: any SendStore) async throws {
        let ann = Self.keying.suppressionKey(for: try Self.address("Ann@Example.com"))
        #expect(try await store.isSuppressed(ann) == false)
        try await store.suppress(ann, reason: "unsubscribed", at: Self.t0)
        try await store.suppress(ann, reason: "bounced", at: Self.at(1))
        #expect(try await store.isSuppressed(ann))
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: Self.address("ann@example.com"))))
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: Self.address("bob@example.com"))) == false)
    }

    func roundRobinCursor(_ store: any SendStore) async throws {
        #expect(try await store.roundRobinCursor() == RoundRobinCursor())
        let cursor = RoundRobinCursor(scores: ["sam": -2, "kim": 1, "lee": 1])
        try await store.saveRoundRobinCursor(cursor)
        #expect(try await store.roundRobinCursor() == cursor)
        try await store.saveRoundRobinCursor(RoundRobinCursor(scores: ["sam": 0]))
        #expect(try await store.roundRobinCursor() == RoundRobinCursor(scores: ["sam": 0]))
    }
}
