/// A lead's VBANT qualification: vision, budget, need, authority and timeframe, each yes, no or unknown.
package struct Qualification: Sendable, Hashable {
    /// Whether they see what the product would change for them.
    package var vision: CriterionStatus
    /// Whether they can pay for it.
    package var budget: CriterionStatus
    /// Whether they have the problem the product solves.
    package var need: CriterionStatus
    /// Whether the contact can decide.
    package var authority: CriterionStatus
    /// Whether they intend to act soon.
    package var timeframe: CriterionStatus

    /// Makes a qualification; every criterion is `unknown` unless given.
    package init(
        vision: CriterionStatus = .unknown, budget: CriterionStatus = .unknown, need: CriterionStatus = .unknown,
        authority: CriterionStatus = .unknown, timeframe: CriterionStatus = .unknown
    ) {
        self.vision = vision
        self.budget = budget
        self.need = need
        self.authority = authority
        self.timeframe = timeframe
    }

    /// Nothing known yet.
    package static let unknown = Qualification()

    /// The status of one criterion.
    package subscript(criterion: VBANTCriterion) -> CriterionStatus {
        get {
            switch criterion {
            case .vision: return vision
            case .budget: return budget
            case .need: return need
            case .authority: return authority
            case .timeframe: return timeframe
            }
        }
        set {
            switch criterion {
            case .vision: vision = newValue
            case .budget: budget = newValue
            case .need: need = newValue
            case .authority: authority = newValue
            case .timeframe: timeframe = newValue
            }
        }
    }

    /// Whether all five criteria are `yes`: the lead is sales-qualified.
    package var isFullyMet: Bool { VBANTCriterion.allCases.allSatisfy { self[$0] == .yes } }

    /// This qualification with the given criteria replaced; criteria not named keep their status.
    package func updating(_ changes: [VBANTCriterion: CriterionStatus]) -> Qualification {
        var copy = self
        for (criterion, status) in changes { copy[criterion] = status }
        return copy
    }
}
