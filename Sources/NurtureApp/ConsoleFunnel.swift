package import NurtureCore

/// A sequence's funnel: per step, how many rows were planned, sent, held (by reason), skipped, cancelled, failed,
/// unknown, and how many replies came to them. Pure: built from the store's grouped counts and the configured steps.
package struct ConsoleFunnel: Sendable, Hashable {
    /// One step's figures.
    package struct Step: Sendable, Hashable {
        package var id: String
        package var number: Int
        /// Every row of the step (all states).
        package var planned: Int = 0
        package var waiting: Int = 0
        package var sent: Int = 0
        /// Held rows by reason kind (`unclassified` when none was recorded).
        package var held: [String: Int] = [:]
        package var skipped: Int = 0
        package var cancelled: Int = 0
        package var failed: Int = 0
        package var unknown: Int = 0
        package var replied: Int = 0
        /// Whether the configuration still has the step.
        package var configured: Bool = true

        package var heldTotal: Int { held.values.reduce(0, +) }
    }

    package var sequence: String
    package var steps: [Step]

    /// The funnel of `sequence` with its configured `steps` in order (steps no longer configured follow).
    package init(sequence: String, configuredSteps: [String], counts: [FunnelCount], replies: [String: Int]) {
        var byID: [String: Step] = [:]
        for (index, id) in configuredSteps.enumerated() { byID[id] = Step(id: id, number: index + 1) }
        for count in counts {
            var step = byID[count.step] ?? Step(id: count.step, number: count.stepNumber, configured: false)
            step.planned += count.count
            switch count.state {
            case .sent: step.sent += count.count
            case .held: step.held[count.reasonKind?.rawValue ?? "unclassified", default: 0] += count.count
            case .skipped: step.skipped += count.count
            case .cancelled: step.cancelled += count.count
            case .failed: step.failed += count.count
            case .unknown: step.unknown += count.count
            case .planned, .deferred, .inFlight: step.waiting += count.count
            }
            byID[count.step] = step
        }
        for (id, replied) in replies { byID[id, default: Step(id: id, number: 0, configured: false)].replied = replied }
        self.sequence = sequence
        self.steps = byID.values.sorted {
            ($0.configured ? 0 : 1, $0.number, $0.id) < ($1.configured ? 0 : 1, $1.number, $1.id)
        }
    }
}
