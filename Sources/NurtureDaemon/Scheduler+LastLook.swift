import Foundation
import NurtureConfig
import NurtureCore

extension Scheduler {
    /// Reads `job`'s lead, enrollment and suppression flag once more, right before its body may go out, and asks
    /// ``SendGate/lastLook(_:policy:now:)`` whether a change made since the checks stops it: a lead changed through
    /// any daemon's API while its send waited for its due time or a connection is acted on before the send.
    /// - Returns: `nil` when the send may go; why not otherwise (a store that cannot be read holds it a minute).
    func lastLook(_ job: Job) async -> NotStarted? {
        let row = job.row
        let key: SendContext.Key = (
            row.leadEmail, row.enrollmentID, job.runtime.configuration.addressKeying.suppressionKey(for: row.leadEmail)
        )
        let stored: SendContext
        do {
            guard let context = try await store.sendContexts([key]).first else {
                return .storeFailed(StoreError("the store read no lead and enrollment for send \(row.id)"))
            }
            stored = context
        } catch {
            return .storeFailed(error)
        }
        let facts = SendFacts(
            row: row, lead: stored.lead, enrollment: stored.enrollment, isSuppressed: stored.isSuppressed)
        let now = max(clock.now(), row.nextAttemptAt)
        guard let verdict = SendGate.lastLook(facts, policy: job.runtime.sendPolicy, now: now) else { return nil }
        let context = stored.lead.flatMap { lead in
            stored.enrollment.map { Context(lead: lead, enrollment: $0, sequence: job.context.sequence) }
        }
        return .withdrawn(verdict, context)
    }
}
