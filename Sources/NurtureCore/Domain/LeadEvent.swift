/// Something that happened to a lead, fed to ``StageMachine/apply(_:to:)``.
package enum LeadEvent: Sendable, Hashable {
    /// A person or an import moved the lead to a stage.
    case stageChanged(to: Stage)
    /// New VBANT knowledge; criteria not named keep their status.
    case qualificationUpdated([VBANTCriterion: CriterionStatus])
    /// The lead is not sales-ready: back to marketing nurture (stage `recycled`).
    case recycled
    /// The lead replied to an email.
    case replied
    /// The lead asked to receive nothing more.
    case unsubscribed
    /// Mail to the lead bounced permanently.
    case bounced
}
