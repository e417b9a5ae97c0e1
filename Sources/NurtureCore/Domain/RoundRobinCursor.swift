/// The persisted state of weighted round-robin: each salesperson's running score.
///
/// Store it after every assignment and hand it back for the next one; the same cursor and roster always
/// give the same choice.
package struct RoundRobinCursor: Sendable, Hashable, Codable {
    /// Running scores by salesperson id; absent ids count as 0.
    package var scores: [String: Int]

    /// Makes a cursor; the empty cursor is the start state.
    package init(scores: [String: Int] = [:]) {
        self.scores = scores
    }
}
