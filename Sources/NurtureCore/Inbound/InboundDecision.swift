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

    /// Whether the decision changes the lead (an event or a pause); `false`: the message is only recorded.
    package var changesLead: Bool { !events.isEmpty || pauseUntil != nil }

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
    ///
    /// | message | does |
    /// | --- | --- |
    /// | reply | `replied`: ends the enrollment |
    /// | opt-out | `unsubscribed` |
    /// | complaint | `unsubscribed` (the action says complaint) |
    /// | hard bounce | `bounced` |
    /// | soft bounce | `bounced` once `limit` soft bounces fall within the period; before that, counted only |
    /// | auto-reply | pauses the active enrollment until the start of the first business day after the return date |
    /// |            | in the lead's zone (no date: now + the default); never ends anything |
    /// | unrelated, unattributed | nothing |
    ///
    /// A lead who already unsubscribed or bounced is not changed again; the message is still recorded.
    package static func decide(
        _ reading: InboundReading, attribution: Attribution?, facts: Facts, policy: InboundPolicy, now: Date
    ) -> InboundDecision {
        if case .unrelated = reading.classification { return InboundDecision(action: "nothing: unrelated") }
        guard attribution != nil else { return InboundDecision(action: "nothing: not tied to a lead") }
        guard let lead = facts.lead else { return InboundDecision(action: "nothing: the lead is no longer stored") }
        if let ended = endedState(lead) { return InboundDecision(action: "nothing: the lead \(ended)") }

        switch reading.classification {
        case .reply:
            let what = facts.activeEnrollment.map { "ends \($0.sequence)" } ?? "no active enrollment to end"
            return InboundDecision(events: [.replied], action: "\(what) (replied)")
        case .optOut:
            return InboundDecision(events: [.unsubscribed], action: "unsubscribes (opt-out reply)")
        case .complaint:
            return InboundDecision(events: [.unsubscribed], action: "unsubscribes and suppresses (complaint)")
        case .bounce(let bounce) where bounce.severity == .hard:
            let status = bounce.status.map { " \($0)" } ?? ""
            return InboundDecision(events: [.bounced], action: "suppresses as bounced (hard bounce\(status))")
        case .bounce:
            return softBounce(facts: facts, policy: policy)
        case .autoReply(let autoReply):
            return outOfOffice(autoReply, facts: facts, policy: policy, now: now)
        case .unrelated:
            return InboundDecision(action: "nothing: unrelated")
        }
    }

    /// Why the lead takes no more changes (`already unsubscribed`, `already bounced`), or `nil`.
    private static func endedState(_ lead: Lead) -> String? {
        if lead.isUnsubscribed { return "already unsubscribed" }
        if lead.hasBounced { return "already bounced" }
        return nil
    }

    private static func softBounce(facts: Facts, policy: InboundPolicy) -> InboundDecision {
        let count = max(0, facts.softBouncesInPeriod) + 1
        let limit = max(1, policy.softBounceLimit)
        let tally = "soft bounce \(count) of \(limit) within \(phrase(policy.softBouncePeriod))"
        guard count >= limit else { return InboundDecision(action: tally) }
        return InboundDecision(events: [.bounced], action: "suppresses as bounced (\(tally))")
    }

    private static func outOfOffice(
        _ autoReply: InboundClassification.AutoReply, facts: Facts, policy: InboundPolicy, now: Date
    ) -> InboundDecision {
        guard let enrollment = facts.activeEnrollment else {
            return InboundDecision(action: "nothing: out of office, no active enrollment to pause")
        }
        let until: Date
        let why: String
        if let back = autoReply.returnDate {
            until = BusinessDays.startOfFirstBusinessDay(after: back, in: facts.timeZone)
            why = "back \(back)"
        } else {
            until = now.addingTimeInterval(seconds(policy.outOfOfficeDefault))
            why = "no return date, \(phrase(policy.outOfOfficeDefault)) by default"
        }
        guard until > now else {
            return InboundDecision(action: "nothing: out of office, already back (\(why))")
        }
        let when = StepPlanner.localTime(until, in: facts.timeZone)
        return InboundDecision(pauseUntil: until, action: "pauses \(enrollment.sequence) until \(when) (\(why))")
    }

    /// `30 days`, `1 day`, or the configuration's spelling (`36h`) when it is not whole days.
    static func phrase(_ duration: Duration) -> String {
        let total = Int(duration.components.seconds)
        guard total > 0, total % 86_400 == 0 else { return DelayText.format(duration) }
        let days = total / 86_400
        return days == 1 ? "1 day" : "\(days) days"
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
