/// The persisted state of weighted round-robin: each salesperson's running score.
///
/// Store it after every assignment and hand it back for the next one; the same cursor and roster always
/// give the same choice.
public struct RoundRobinCursor: Sendable, Hashable, Codable {
    /// Running scores by salesperson id; absent ids count as 0.
    public var scores: [String: Int]

    /// Makes a cursor; the empty cursor is the start state.
    public init(scores: [String: Int] = [:]) {
        self.scores = scores
    }
}
