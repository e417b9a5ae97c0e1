import Foundation
import NurtureConfig
import NurtureCore

/// Enrollment planning: the next step of every enrollment without a waiting send, in batches, and the step
/// after a finished one (planned in the same transaction as the finished row's record).
extension Scheduler {
    /// Plans the next step of up to `planBatch` enrollments that have none, reading their leads and earlier
    /// sends in one snapshot each and storing every plan in one transaction (one durable commit per batch, not
    /// per enrollment). When the batch was full and made progress, the loop is woken to come straight back for
    /// the next batch after sending what is due, so a million new enrollments are planned quickly without
    /// starving sends.
    /// - Returns: whether it wrote to the store (a plan stored or an enrollment ended).
    func planEnrollments() async throws(StoreError) -> Bool {
        let runtime = self.runtime
        let now = clock.now()
        let enrollments = try await store.enrollmentsNeedingPlan(limit: options.planBatch)
        guard !enrollments.isEmpty else { return false }
        var leads: [String: Lead] = [:]
        for lead in try await store.leads(enrollments.map(\.leadEmail)) {
            leads[lead.email.description.lowercased()] = lead
        }
        let sends = Dictionary(
            grouping: try await store.sends(forEnrollments: enrollments.map(\.id)), by: \.enrollmentID)
        var plans: [NewPlannedSend] = []
        var ended = 0
        for enrollment in enrollments {
            guard let lead = leads[enrollment.leadEmail.description.lowercased()] else {
                try await store.endEnrollment(enrollment.id, reason: .stageChanged, at: now)
                ended += 1
                continue
            }
            guard lead.isContactable else {
                let reason: EnrollmentEndReason =
                    lead.isUnsubscribed ? .unsubscribed : lead.hasBounced ? .bounced : .stageChanged
                try await store.endEnrollment(enrollment.id, reason: reason, at: now)
                ended += 1
                continue
            }
            guard let sequence = runtime.sendPolicy.sequences[enrollment.sequence] else {
                warnOnce(
                    enrollment.id,
                    "enrollment \(enrollment.id) of \(lead.email) is in sequence `\(enrollment.sequence)`, which the"
                        + " configuration no longer has; add it back or change the lead's stage")
                continue
            }
            // The last step of this enrollment that the sequence still has (a step removed by a reload was
            // cancelled; the sequence goes on from the step before it).
            let previous = (sends[enrollment.id] ?? [])
                .filter { sequence.step(id: $0.step) != nil }
                .max { $0.stepNumber < $1.stepNumber }
            let (next, complete) = nextStep(
                enrollment: enrollment, sequence: sequence, lead: lead, after: previous?.step,
                finishedAt: previous.map { $0.updatedAt }, runtime: runtime)
            if let next { plans.append(next) }
            if complete {
                try await store.endEnrollment(enrollment.id, reason: .completed, at: now)
                ended += 1
                emit(.notice("\(lead.email) completed `\(sequence.id)`"))
            }
        }
        if !plans.isEmpty { try await store.planAll(plans, at: now) }
        if enrollments.count == options.planBatch, !plans.isEmpty { timer.wake() }
        return !plans.isEmpty || ended > 0
    }

    /// The send to plan after step `after` (`nil` when there is none) and whether the sequence is complete.
    func nextStep(
        enrollment: EnrollmentRecord, sequence: EmailSequence, lead: Lead, after: String?, finishedAt: Date?,
        runtime: Runtime
    ) -> (next: NewPlannedSend?, complete: Bool) {
        let policy = runtime.sendPolicy
        let zoneName = policy.timeZone(for: lead, sequence: sequence, owner: policy.owner(of: lead))
        var generator = SystemRandomNumberGenerator()
        let jitter = sequence.track == .sales ? runtime.policy.salesJitter.offset(using: &generator) : .zero
        let unique: String
        do {
            unique = try MessageIDRandomness.unique(using: &generator)
        } catch {
            emit(.error("cannot plan the next step of \(lead.email) in `\(sequence.id)`: \(error)"))
            return (nil, false)
        }
        let decision = StepPlanner.next(
            enrollment: enrollment, sequence: sequence, lead: lead, after: after, previousFinishedAt: finishedAt,
            timeZone: TimeZone(identifier: zoneName) ?? .gmt, jitter: jitter,
            messageIDDomain: runtime.configuration.marketingSender.address.domain, unique: unique)
        switch decision {
        case .plan(var send):
            if sequence.track == .marketing {
                send.unsubscribeToken = runtime.builder.unsubscribeToken(for: lead.email)
            }
            return (send, false)
        case .complete: return (nil, true)
        case .neverOpens(let reason):
            warnOnce(enrollment.id, reason)
            return (nil, false)
        }
    }

    /// Adds `update` and `log` for a finished row to `batch`, with the step after it planned in the same
    /// transaction (and the enrollment ended once it commits, when that was the last step).
    func recordAndPlanNext(
        _ row: PlannedSend, _ update: SendUpdate, _ log: SendLogEntry, context: Context, runtime: Runtime, now: Date,
        into batch: inout Batch
    ) {
        let (next, complete) = nextStep(
            enrollment: context.enrollment, sequence: context.sequence, lead: context.lead, after: row.step,
            finishedAt: now, runtime: runtime)
        batch.add(SendRecord(sendID: row.id, update: update, log: log, next: next), announce: true)
        if complete {
            batch.followUps.append(
                .endEnrollment(
                    context.enrollment.id, .completed, at: now,
                    notice: "\(context.lead.email) completed `\(context.sequence.id)`"))
        }
    }
}
