/// One email of a sequence: when it goes out, which template it uses, and whether it applies to a lead.
package struct SequenceStep: Sendable, Hashable, Identifiable {
    /// Stable id (kept when steps are reordered or edited), e.g. `follow-up`.
    package var id: String
    /// Time after the previous step was sent, or after enrollment for the first step.
    package var delay: Duration
    /// The template's step name: files `templates/<sequence-id>/<template>.subject.mustache` and so on.
    /// Equal to ``id`` unless the configuration names another.
    package var template: String
    /// When set, the step is sent only to leads matching it and skipped for others.
    package var condition: StepCondition?

    /// Makes a step; the template defaults to the step's id.
    package init(id: String, delay: Duration, template: String? = nil, condition: StepCondition? = nil) {
        self.id = id
        self.delay = delay
        self.template = template ?? id
        self.condition = condition
    }

    /// Whether this step is sent to the lead (no condition, or the condition holds).
    package func applies(to lead: Lead) -> Bool { condition?.matches(lead) ?? true }
}
