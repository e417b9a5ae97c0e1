package import Foundation

/// Decides the next send of an active enrollment: which step, when it is due, and when it may go out
/// (moved into the sequence's send window in the lead's time zone, plus jitter). Pure: time, zone,
/// jitter and the unique part of the Message-ID come in as values.
package enum StepPlanner {
    /// What to do with an enrollment that has no waiting send.
    package enum Decision: Sendable, Hashable {
        /// Plan this send.
        case plan(NewPlannedSend)
        /// No step is left for this lead: the enrollment is complete.
        case complete
        /// The window never opens (no allowed day within a year): nothing can be planned.
        case neverOpens(reason: String)
    }

    /// Plans the step after `previousStep` (`nil`: the first step).
    /// - Parameters:
    ///   - previousFinishedAt: when the previous step was sent or given up; delays count from it
    ///     (from the enrollment's start for the first step).
    ///   - timeZone: the zone the sequence's window is read in for this lead (see ``TimeZoneRule``).
    ///   - jitter: added to the due time before the window is applied (sales sends look hand-sent).
    ///   - messageIDDomain: the right-hand side of the Message-ID, e.g. the company's mail domain.
    ///   - unique: a value no other send shares (``MessageIDRandomness/unique(using:)``), for the Message-ID's
    ///     left side.
    package static func next(
        enrollment: EnrollmentRecord, sequence: EmailSequence, lead: Lead, after previousStep: String?,
        previousFinishedAt: Date?, timeZone: TimeZone, jitter: Duration, messageIDDomain: String, unique: String
    ) -> Decision {
        guard let step = sequence.nextStep(after: previousStep, for: lead),
            let number = sequence.number(ofStep: step.id)
        else { return .complete }
        let base = previousFinishedAt ?? enrollment.startedAt
        let dueAt = ScheduleTime.date(base, plus: step.delay)
        let candidate = ScheduleTime.date(dueAt, plus: jitter)
        guard let opening = sequence.window.nextOpening(atOrAfter: candidate, in: timeZone) else {
            return .neverOpens(
                reason: "sequence `\(sequence.id)` has a send window that never opens; allow at least one day"
                    + " and an hour range in its window")
        }
        var reason: HoldReason?
        if opening > candidate {
            reason = .outsideWindow(sequence: sequence.id, nextOpening: localTime(opening, in: timeZone))
        }
        let messageID = MessageID.make(
            unique: "\(enrollment.id).\(step.id).\(unique)", domain: messageIDDomain)
        return .plan(
            NewPlannedSend(
                enrollmentID: enrollment.id, leadEmail: lead.email, sequence: sequence.id, step: step.id,
                stepNumber: number, track: sequence.track, dueAt: dueAt, nextAttemptAt: opening,
                messageID: messageID.description, reason: reason?.description, reasonKind: reason?.kind))
    }

    /// `2026-11-24 09:00 America/New_York`: a moment as the lead would read it.
    package static func localTime(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
            + " \(timeZone.identifier)"
    }
}
