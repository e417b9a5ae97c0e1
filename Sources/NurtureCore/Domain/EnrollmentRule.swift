/// One enrollment rule: leads in this stage (from this source, or any) enter this sequence.
public struct EnrollmentRule: Sendable, Hashable {
    /// The stage the rule applies to.
    public var stage: Stage
    /// The source it applies to; `nil` for both.
    public var source: LeadSource?
    /// The sequence's id.
    public var sequence: String

    /// Makes a rule.
    public init(stage: Stage, source: LeadSource? = nil, sequence: String) {
        self.stage = stage
        self.source = source
        self.sequence = sequence
    }

    /// Whether the rule applies to a lead in `stage` from `source`.
    public func matches(stage: Stage, source: LeadSource) -> Bool {
        self.stage == stage && (self.source == nil || self.source == source)
    }
}
