/// Which (stage, source) enters which sequence.
///
/// A rule naming the lead's source wins over one for any source; among equals, the first listed wins.
/// Stages no rule names enter no sequence.
package struct EnrollmentRules: Sendable, Hashable {
    /// The rules in configuration order.
    package var rules: [EnrollmentRule]

    /// Makes the rule set.
    package init(_ rules: [EnrollmentRule]) {
        self.rules = rules
    }

    /// The id of the sequence a lead in `stage` from `source` enters, or `nil` for none.
    package func sequence(for stage: Stage, source: LeadSource) -> String? {
        let matching = rules.filter { $0.matches(stage: stage, source: source) }
        return (matching.first { $0.source != nil } ?? matching.first)?.sequence
    }

    /// The ids of every sequence some rule names.
    package var reachableSequences: Set<String> { Set(rules.map(\.sequence)) }
}
