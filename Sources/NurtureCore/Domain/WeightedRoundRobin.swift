/// Picks the next owner for an unassigned lead: smooth weighted round-robin, skipping away people.
///
/// Each eligible salesperson's score grows by their weight; the highest score wins (ties: the earlier in
/// the configured order) and drops by the total weight. Over any run of `W` picks (W = total weight) each
/// person gets exactly their weight's share, spread out rather than in bursts. Pure and deterministic.
package enum WeightedRoundRobin {
    /// The chosen salesperson and the cursor to persist, or `nil` when nobody is eligible
    /// (everyone away or of weight 0).
    package static func next(from salespeople: [Salesperson], cursor: RoundRobinCursor)
        -> (salesperson: Salesperson, cursor: RoundRobinCursor)?
    {
        let eligible = salespeople.filter { !$0.isAway && $0.weight > 0 }
        guard !eligible.isEmpty else { return nil }
        let total = eligible.reduce(0) { $0 + $1.weight }
        var scores = cursor.scores
        var best: Salesperson?
        var bestScore = Int.min
        for person in eligible {
            let score = (scores[person.id] ?? 0) + person.weight
            scores[person.id] = score
            if score > bestScore {
                best = person
                bestScore = score
            }
        }
        guard let best else { return nil }
        scores[best.id, default: 0] -= total
        let roster = Set(salespeople.map(\.id))
        scores = scores.filter { roster.contains($0.key) }
        return (best, RoundRobinCursor(scores: scores))
    }
}
