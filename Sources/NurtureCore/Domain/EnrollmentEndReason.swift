/// Why an enrollment ended.
package enum EnrollmentEndReason: String, Sendable, Hashable, CustomStringConvertible {
    /// The last step was sent.
    case completed
    /// The lead moved to another stage.
    case stageChanged = "stage-changed"
    /// The lead replied: a person takes over.
    case replied
    /// The lead unsubscribed.
    case unsubscribed
    /// Mail to the lead bounced.
    case bounced
    /// The lead's personal data was erased on request.
    case erased
    /// An operator ended it (the operator console).
    case operatorEnded = "operator-ended"

    /// The name used in logs, e.g. `stage-changed`.
    package var description: String { rawValue }
}
