import NurtureCore
import Testing

@Suite("Weighted round-robin")
struct WeightedRoundRobinTests {
    private func picks(_ people: [Salesperson], count: Int, from cursor: RoundRobinCursor = .init())
        -> (ids: [String], cursor: RoundRobinCursor)
    {
        var cursor = cursor
        var ids: [String] = []
        for _ in 0..<count {
            guard let next = WeightedRoundRobin.next(from: people, cursor: cursor) else { break }
            ids.append(next.salesperson.id)
            cursor = next.cursor
        }
        return (ids, cursor)
    }

    @Test("equal weights alternate in configured order")
    func equalWeights() {
        let people = ["a", "b", "c"].map { DomainFixtures.salesperson($0) }
        #expect(picks(people, count: 6).ids == ["a", "b", "c", "a", "b", "c"])
    }

    @Test("each person gets their weight's share of every full round")
    func weightedShares() {
        let people = [
            DomainFixtures.salesperson("a", weight: 3), DomainFixtures.salesperson("b", weight: 1),
            DomainFixtures.salesperson("c", weight: 2),
        ]
        let ids = picks(people, count: 60).ids
        #expect(ids.filter { $0 == "a" }.count == 30)
        #expect(ids.filter { $0 == "b" }.count == 10)
        #expect(ids.filter { $0 == "c" }.count == 20)
    }

    @Test("the same cursor gives the same choice: resuming from a persisted cursor continues the sequence")
    func deterministicFromCursor() {
        let people = [DomainFixtures.salesperson("a", weight: 2), DomainFixtures.salesperson("b")]
        let whole = picks(people, count: 7).ids
        let first = picks(people, count: 3)
        let rest = picks(people, count: 4, from: first.cursor)
        #expect(first.ids + rest.ids == whole)
        #expect(picks(people, count: 7).ids == whole)
    }

    @Test("away people and weight 0 are skipped; nobody eligible gives nil")
    func skipping() {
        let people = [
            DomainFixtures.salesperson("a", away: true), DomainFixtures.salesperson("b", weight: 0),
            DomainFixtures.salesperson("c"),
        ]
        #expect(picks(people, count: 3).ids == ["c", "c", "c"])
        #expect(WeightedRoundRobin.next(from: [DomainFixtures.salesperson("a", away: true)], cursor: .init()) == nil)
        #expect(WeightedRoundRobin.next(from: [], cursor: .init()) == nil)
    }

    @Test("ids no longer configured are dropped from the cursor")
    func staleIDsDropped() {
        let cursor = RoundRobinCursor(scores: ["gone": 5, "a": 0])
        let next = WeightedRoundRobin.next(from: [DomainFixtures.salesperson("a")], cursor: cursor)
        #expect(next?.cursor.scores.keys.sorted() == ["a"])
    }
}
