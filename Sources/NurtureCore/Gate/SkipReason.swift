/// Why a planned step is skipped (recorded `skipped`; the sequence goes on with the step after it).
public enum SkipReason: SendReason, Hashable {
    /// The step's condition no longer holds for the lead.
    case conditionNotMet
    /// Later than the maximum lateness; `detail` says how late (``Lateness``).
    case tooLate(String)

    public var kind: ReasonKind {
        switch self {
        case .conditionNotMet: .conditionNotMet
        case .tooLate: .tooLate
        }
    }

    public var description: String {
        switch self {
        case .conditionNotMet: "the step's condition no longer holds for this lead"
        case .tooLate(let detail): detail
        }
    }
}
