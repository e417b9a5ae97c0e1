/// One enrollment rule: leads in this stage (from this source, or any) enter this sequence.
package struct EnrollmentRule: Sendable, Hashable {
    /// The stage the rule applies to.
    package var stage: Stage
    /// The source it applies to; `nil` for both.
    package var source: LeadSource?
    /// The sequence's id.
    package var sequence: String

    /// Makes a rule.
    package init(stage: Stage, source: LeadSource? = nil, sequence: String) {
        self.stage = stage
        self.source = source
        self.sequence = sequence
    }

    /// Whether the rule applies to a lead in `stage` from `source`.
    package func matches(stage: Stage, source: LeadSource) -> Bool {
        self.stage == stage && (self.source == nil || self.source == source)
    }
}
