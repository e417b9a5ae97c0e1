/// "Did you mean ...?" for misspelt keys and names.
enum Suggestion {
    /// The closest candidate within a small edit distance, or `nil`.
    static func closest(to word: String, in candidates: some Collection<String>) -> String? {
        let word = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word, Array(candidate.lowercased()))
            let limit = max(1, min(3, candidate.count / 3))
            if distance <= limit, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// "did you mean `x`? " or "".
    static func phrase(for word: String, in candidates: some Collection<String>) -> String {
        closest(to: word, in: candidates).map { "did you mean `\($0)`? " } ?? ""
    }

    private static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}
