/// Why a planned send is cancelled (recorded `cancelled`; never sent).
package enum CancelReason: SendReason, Hashable {
    case leadGone
    case enrollmentEnded
    /// The sequence, by id, is no longer configured.
    case sequenceRemoved(String)
    case unsubscribed
    case bounced
    /// The lead is in this stage, which receives nothing.
    case terminalStage(Stage)
    case suppressed
    /// The step (`step`) is no longer in `sequence`.
    case stepRemoved(step: String, sequence: String)
    /// The stored Message-ID (`id`) does not parse; `error` says why.
    case invalidMessageID(String, error: String)

    package var kind: ReasonKind {
        switch self {
        case .leadGone: .leadGone
        case .enrollmentEnded: .enrollmentEnded
        case .sequenceRemoved: .sequenceRemoved
        case .unsubscribed: .unsubscribed
        case .bounced: .bounced
        case .terminalStage: .terminalStage
        case .suppressed: .suppressed
        case .stepRemoved: .stepRemoved
        case .invalidMessageID: .invalidMessageID
        }
    }

    /// The enrollment ends with the cancellation (with this reason), or `nil` when it does not.
    package var endsEnrollment: EnrollmentEndReason? {
        switch self {
        case .unsubscribed, .suppressed: .unsubscribed
        case .bounced: .bounced
        case .terminalStage: .stageChanged
        case .leadGone, .enrollmentEnded, .sequenceRemoved, .stepRemoved, .invalidMessageID: nil
        }
    }

    package var description: String {
        switch self {
        case .leadGone: "the lead no longer exists"
        case .enrollmentEnded: "the enrollment has ended"
        case .sequenceRemoved(let id): "sequence `\(id)` was removed from the configuration"
        case .unsubscribed: "the lead unsubscribed"
        case .bounced: "the lead's address bounced"
        case .terminalStage(let stage): "the lead is in stage \(stage), which receives nothing"
        case .suppressed: "the address is on the suppression list"
        case .stepRemoved(let step, let sequence): "step `\(step)` was removed from `\(sequence)`"
        case .invalidMessageID(let id, let error): "stored Message-ID \(id) is not valid: \(error)"
        }
    }
}
