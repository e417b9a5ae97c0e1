/// An ordered series of emails on one track, with the window they may be sent in.
///
/// Reply, stage change, unsubscribe and bounce always end an enrollment; completing the last step does too.
package struct EmailSequence: Sendable, Hashable, Identifiable {
    /// Stable id, also the templates directory name, e.g. `inbound-sales`.
    package var id: String
    /// Human-readable name for templates (`sequence.name`) and logs.
    package var name: String
    /// Marketing (sent as the company) or sales (sent as the owner).
    package var track: Track
    /// The steps in sending order.
    package var steps: [SequenceStep]
    /// When the sequence's mail may go out.
    package var window: SendWindow
    /// How late one of its steps may still go out; `nil` uses the configured default
    /// (`SchedulingPolicy.lateness`).
    package var maxLateness: Duration?

    /// Makes a sequence.
    package init(
        id: String, name: String, track: Track, steps: [SequenceStep], window: SendWindow,
        maxLateness: Duration? = nil
    ) {
        self.id = id
        self.name = name
        self.track = track
        self.steps = steps
        self.window = window
        self.maxLateness = maxLateness
    }

    /// The step with this id, if any.
    package func step(id: String) -> SequenceStep? { steps.first { $0.id == id } }

    /// The 1-based position of a step, if it is in the sequence.
    package func number(ofStep id: String) -> Int? { steps.firstIndex { $0.id == id }.map { $0 + 1 } }

    /// The next step after `stepID` (or the first when `nil`) that applies to the lead; `nil` when none is left.
    ///
    /// Steps whose condition the lead does not meet are skipped; their delay is not added.
    package func nextStep(after stepID: String?, for lead: Lead) -> SequenceStep? {
        var start = 0
        if let stepID {
            guard let index = steps.firstIndex(where: { $0.id == stepID }) else { return nil }
            start = index + 1
        }
        return steps[start...].first { $0.applies(to: lead) }
    }
}
