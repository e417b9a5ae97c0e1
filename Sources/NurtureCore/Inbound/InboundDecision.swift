package import Foundation

/// What one incoming message does to its lead, decided by ``InboundDecision/decide(_:attribution:facts:policy:now:)``
/// and carried out through the lead service (the events through ``LeadChanges``, the pause as
/// ``LeadChange/Step/pause(enrollment:until:)``), audited and recorded with the message.
package struct InboundDecision: Sendable, Hashable {
    /// Lead events to apply, in order (`replied`, `unsubscribed`, `bounced`).
    package var events: [LeadEvent]
    /// Pause the active enrollment until then (out-of-office).
    package var pauseUntil: Date?
    /// What is done, in words (`ends the enrollment (replied)`, `pauses until 2026-12-15 00:00 Europe/Berlin`,
    /// `soft bounce 2 of 3 within 30 days`, `nothing: unrelated`).
    package var action: String

    package init(events: [LeadEvent] = [], pauseUntil: Date? = nil, action: String) {
        self.events = events
        self.pauseUntil = pauseUntil
        self.action = action
    }

    /// The facts the decision needs about the attributed lead, read beforehand.
    package struct Facts: Sendable, Hashable {
        package var lead: Lead?
        /// The lead's active enrollment, if any.
        package var activeEnrollment: EnrollmentRecord?
        /// The lead's zone for business days (lead, then owner, then default).
        package var timeZone: TimeZone
        /// Soft bounces already recorded for the lead within the policy's period (this one not counted).
        package var softBouncesInPeriod: Int

        package init(
            lead: Lead?, activeEnrollment: EnrollmentRecord?, timeZone: TimeZone, softBouncesInPeriod: Int = 0
        ) {
            self.lead = lead
            self.activeEnrollment = activeEnrollment
            self.timeZone = timeZone
            self.softBouncesInPeriod = softBouncesInPeriod
        }
    }

    /// Decides what `reading`, tied to a lead by `attribution` (or to none), does.
    package static func decide(
        _ reading: InboundReading, attribution: Attribution?, facts: Facts, policy: InboundPolicy, now: Date
    ) -> InboundDecision {
        InboundDecision(action: "nothing: not decided yet")  // Contract placeholder (issue 14).
    }
}
