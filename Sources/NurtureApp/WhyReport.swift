package import Foundation
package import NurtureConfig
package import NurtureCore

/// Why one lead's next email waits: what the store says about the lead (its flags, enrollments and sends) and
/// the plain-language ``answer``. `nurture why` prints it; `GET /v1/leads/{email}` serves ``answer``.
package struct WhyReport: Sendable {
    package var lead: Lead
    /// Whether the address is on the suppression list.
    package var suppressed: Bool
    /// The lead's enrollments, oldest first.
    package var enrollments: [EnrollmentRecord]
    /// The lead's sends, oldest first.
    package var sends: [PlannedSend]
    /// The lead's processed incoming messages (replies, automatic replies, reports), oldest first.
    package var inbound: [InboundRecord]
    /// The answer to "why is it waiting?", in one line.
    package var answer: String
    /// The time the report explains.
    package var now: Date

    /// Reads the facts of `email` from `store` and explains them at `now`; `nil` when there is no such lead.
    package static func read(
        _ email: EmailAddress, store: any SendStore, configuration: NurtureConfiguration, now: Date
    ) async throws(StoreError) -> WhyReport? {
        guard let lead = try await store.lead(email) else { return nil }
        let key = configuration.addressKeying.suppressionKey(for: lead.email)
        return WhyReport(
            lead: lead, suppressed: try await store.isSuppressed(key),
            enrollments: try await store.enrollments(for: lead.email), sends: try await store.sends(for: lead.email),
            inbound: try await store.inbound(for: lead.email), configuration: configuration, now: now)
    }

    /// The report of these facts at `now`.
    package init(
        lead: Lead, suppressed: Bool, enrollments: [EnrollmentRecord], sends: [PlannedSend],
        inbound: [InboundRecord] = [], configuration: NurtureConfiguration, now: Date
    ) {
        self.lead = lead
        self.suppressed = suppressed
        self.enrollments = enrollments
        self.sends = sends
        self.inbound = inbound
        self.now = now
        self.answer = Self.answer(
            lead: lead, suppressed: suppressed, enrollments: enrollments, sends: sends, inbound: inbound,
            configuration: configuration, now: now)
    }

    /// The plain-language answer to "why is it waiting?".
    static func answer(
        lead: Lead, suppressed: Bool, enrollments: [EnrollmentRecord], sends: [PlannedSend],
        inbound: [InboundRecord] = [], configuration: NurtureConfiguration, now: Date
    ) -> String {
        if lead.isUnsubscribed { return "unsubscribed: nothing more will be sent" }
        if lead.hasBounced { return "bounced: mail to this address bounced; nothing more will be sent" }
        if suppressed { return "suppressed: the address is on the suppression list; nothing more will be sent" }
        if lead.stage.isTerminal { return "stage \(lead.stage) receives nothing: nothing more will be sent" }
        if let flying = sends.first(where: { $0.state == .inFlight }) {
            return "step `\(flying.step)` of `\(flying.sequence)` is being sent right now"
                + " (in flight since \(ScheduleTime.describe(flying.updatedAt)))"
        }
        let waiting = sends.filter { $0.state.isWaiting }.min { $0.nextAttemptAt < $1.nextAttemptAt }
        if let active = enrollments.last(where: { $0.isActive }), let until = active.pausedUntil, until > now {
            let zone = TimeZone(identifier: lead.timeZone ?? configuration.defaults.timeZone) ?? .gmt
            return pausedAnswer(
                until: StepPlanner.localTime(until, in: zone),
                message: inbound.last(where: { $0.kind == .autoReply && $0.at <= now }),
                next: waiting.flatMap { $0.enrollmentID == active.id ? $0 : nil })
        }
        if let send = waiting { return waitingAnswer(send, now: now) }
        if let active = enrollments.last(where: { $0.isActive }) {
            guard configuration.sequence(id: active.sequence) != nil else {
                return "active enrollment in `\(active.sequence)`, which the configuration no longer has:"
                    + " add the sequence back or change the lead's stage"
            }
            return "active enrollment in `\(active.sequence)` but no send planned yet: the daemon plans it on its"
                + " next pass (is `nurture run` running?)"
        }
        guard let sequence = configuration.enrollmentRules.sequence(for: lead.stage, source: lead.source) else {
            return "not enrolled: no enrollment rule for stage \(lead.stage) and source \(lead.source)"
        }
        if let ended = enrollments.last(where: { $0.sequence == sequence }), let at = ended.endedAt {
            let reason = ended.endReason.map { "\($0)" } ?? "ended"
            return "not enrolled: the enrollment in `\(sequence)` ended \(ScheduleTime.describe(at)) (\(reason));"
                + " nothing more to send in stage \(lead.stage)"
        }
        return "not enrolled, although the rule for stage \(lead.stage) and source \(lead.source) enters"
            + " `\(sequence)`: change the lead's stage (`nurture leads update`) to enroll it"
    }

    /// The answer for a lead whose enrollment is paused by an automatic reply: until when (in the lead's zone),
    /// the message that paused it, and the step that goes out when the pause ends.
    static func pausedAnswer(until local: String, message: InboundRecord?, next: PlannedSend?) -> String {
        let cause =
            message.map { record in
                let from = record.from.map(printable) ?? "an unknown sender"
                let subject = record.subject.map { ", subject \"\(printable($0))\"" } ?? ""
                return "automatic reply in mailbox \(record.mailbox) from \(from)\(subject),"
                    + " \(ScheduleTime.describe(record.at))"
            } ?? "no incoming message recorded"
        let then = next.map { "step `\($0.step)` of `\($0.sequence)` goes out then, by itself" }
        return "paused: out of office until \(local) (\(cause)); " + (then ?? "sending resumes by itself then")
    }

    /// Text from incoming mail made safe for one line of a terminal: control characters (line breaks, escape
    /// sequences) become spaces, and anything past 120 characters is cut with `…`.
    package static func printable(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }
        let line = String(String.UnicodeScalarView(scalars))
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }

    /// The answer for a lead with a waiting send: what holds it, and when it is looked at next.
    static func waitingAnswer(_ send: PlannedSend, now: Date) -> String {
        let next = "next: step `\(send.step)` of `\(send.sequence)`, due \(ScheduleTime.describe(send.dueAt))"
        let attempt =
            "\(ScheduleTime.describe(send.nextAttemptAt)) (\(StatusReport.relative(send.nextAttemptAt, now: now)))"
        let overdue = send.nextAttemptAt <= now
        let daemon = "the daemon sends it on its next pass (is `nurture run` running?)"
        switch send.state {
        case .held:
            let hold = holdReason(send)
            let again = hold.waitsForOpening ? "" : "; looked at again \(attempt)"
            return "\(next); held: \(hold.text)\(again)"
        case .deferred:
            let reply = send.lastReply ?? send.lastCode.map(String.init) ?? send.reason ?? "no reply recorded"
            return "\(next); deferred after attempt \(send.attempts) (\(reply)); next attempt \(attempt)"
                + (overdue ? "; \(daemon)" : "")
        default:
            if overdue { return "\(next); planned for \(attempt), nothing holds it: \(daemon)" }
            if let reason = send.reason { return "\(next); planned for \(attempt): \(reason)" }
            return "\(next); planned for \(attempt), nothing holds it"
        }
    }

    /// What holds a held send: its stored prose (without the `held: ` the owner holds start with, worded for
    /// `nurture render` too), and whether it waits for the next opening of a sending window (then its next look
    /// is that opening, not a time to name). Read by the reason's kind, never its prose; the only place this
    /// report reads a reason.
    static func holdReason(_ send: PlannedSend) -> (text: String, waitsForOpening: Bool) {
        var reason = send.reason ?? "no reason recorded"
        let (ownerHold, waitsForOpening) = heldReading(send.reasonKind)
        if ownerHold, reason.hasPrefix("held: ") { reason.removeFirst("held: ".count) }
        return (reason, waitsForOpening)
    }

    /// How a hold reads by its reason's kind: whether the prose starts with `held: ` (the owner holds), and
    /// whether it names the time it is looked at again (the window's next opening). Exhaustive: a new
    /// ``ReasonKind`` must be given a reading.
    static func heldReading(_ kind: ReasonKind?) -> (ownerHold: Bool, waitsForOpening: Bool) {
        guard let kind else { return (false, false) }
        switch kind {
        case .noOwner, .unknownOwner: return (true, false)
        case .outsideWindow: return (false, true)
        case .windowNeverOpens, .leadGap, .rateLimit, .catchUp, .relayPaused, .templateError, .storeError, .outOfOffice,
            .conditionNotMet, .tooLate, .leadGone, .enrollmentEnded, .sequenceRemoved, .stepRemoved, .unsubscribed,
            .bounced, .terminalStage, .suppressed, .invalidMessageID, .retrying, .gaveUp, .recipientBounced,
            .messageRefused, .outcomeUnknown:
            return (false, false)
        }
    }
}
