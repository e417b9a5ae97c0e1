/// Why a planned step is skipped (recorded `skipped`; the sequence goes on with the step after it).
package enum SkipReason: SendReason, Hashable {
    /// The step's condition no longer holds for the lead.
    case conditionNotMet
    /// Later than the maximum lateness; `detail` says how late (``Lateness``).
    case tooLate(String)

    package var kind: ReasonKind {
        switch self {
        case .conditionNotMet: .conditionNotMet
        case .tooLate: .tooLate
        }
    }

    package var description: String {
        switch self {
        case .conditionNotMet: "the step's condition no longer holds for this lead"
        case .tooLate(let detail): detail
        }
    }
}
