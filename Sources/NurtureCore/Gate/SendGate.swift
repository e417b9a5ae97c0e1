package import Foundation

/// The checks made right before each send, as pure decisions over facts gathered beforehand (the lead, the
/// enrollment, the suppression flag, the counts, the relay's pause) and the configuration: the first rung that
/// stops the send decides. No store, no clock: the scheduler gathers the facts, calls the gate, and carries
/// out the verdict.
///
/// The ladder, in order: the lead exists; the enrollment is active; the sequence is configured; the lead is
/// not unsubscribed, not bounced, not in a stage that receives nothing, not suppressed; the step is
/// configured; the enrollment is not paused (out of office); its condition holds; it is not too late (counted
/// from the end of a pause when the send fell due during one); the window is open; the sender identity
/// resolves; the per-lead gap; the rate limits; catch-up pacing; the Message-ID is valid; the relay is not
/// paused.
///
/// The first rungs (``screen(_:policy:now:)``) read only the lead, the enrollment and the configuration; the
/// rest (``admit(_:history:policy:now:)``) also read ``SendHistory``, which the scheduler gathers only for
/// a send that passed the screen. ``decide(_:policy:now:)`` runs both over complete facts.
package enum SendGate {
    /// Runs the whole ladder over `facts` (including ``SendFacts/history``) at `now` (a send claimed ahead is
    /// judged as of its due time).
    package static func decide(_ facts: SendFacts, policy: SendPolicy, now: Date) -> SendVerdict {
        switch screen(facts, policy: policy, now: now) {
        case .stop(let verdict): verdict
        case .pass(let screened): admit(screened, history: facts.history, policy: policy, now: now)
        }
    }

    /// The outcome of the first rungs.
    package enum Screening: Sendable {
        /// A rung stopped the send.
        case stop(SendVerdict)
        /// Every rung up to the sender identity passed; the history is needed for the rest.
        case pass(Screened)
    }

    /// A send that passed the first rungs, with what they resolved.
    package struct Screened: Sendable {
        package var row: PlannedSend
        package var lead: Lead
        package var sequence: EmailSequence
        package var step: SequenceStep
        package var owner: Salesperson?
        package var identity: SenderIdentity
        package var from: Mailbox
        package var timeZone: String
        /// The counts the rate limits need: the sender mailbox and the recipient domain (lower case).
        package var sender: String
        package var domain: String
        /// Which counts the limits read (a count not needed is not gathered).
        package var needsGlobalCount: Bool
        package var needsSenderCount: Bool
        package var needsDomainCount: Bool
        /// The sender's daily limit, `nil` for none.
        package var senderPerDay: Int?
    }

    /// The rungs that need only the lead, the enrollment and the configuration, up to the sender identity.
    package static func screen(_ facts: SendFacts, policy: SendPolicy, now: Date) -> Screening {
        let row = facts.row
        guard let lead = facts.lead else { return .stop(.cancel(.leadGone)) }
        guard let enrollment = facts.enrollment, enrollment.isActive else { return .stop(.cancel(.enrollmentEnded)) }
        guard let sequence = policy.sequences[row.sequence] else {
            return .stop(.cancel(.sequenceRemoved(row.sequence)))
        }
        if lead.isUnsubscribed { return .stop(.cancel(.unsubscribed)) }
        if lead.hasBounced { return .stop(.cancel(.bounced)) }
        if lead.stage.isTerminal { return .stop(.cancel(.terminalStage(lead.stage))) }
        if facts.isSuppressed { return .stop(.cancel(.suppressed)) }
        guard let step = sequence.step(id: row.step) else {
            return .stop(.cancel(.stepRemoved(step: row.step, sequence: sequence.id)))
        }
        if let until = enrollment.pausedUntil, until > now {
            // Named in the lead's own zone (theirs, else their owner's, else the default), the zone the pause was
            // decided in (InboundDecision): it ends when they are back, whatever zone the window uses.
            let zoneName = TimeZoneRule.lead.resolve(
                leadZone: lead.timeZone, ownerZone: policy.owner(of: lead)?.timeZone,
                defaultZone: policy.defaultTimeZone)
            let zone = TimeZone(identifier: zoneName) ?? .gmt
            return .stop(.hold(until: until, .paused(until: until, local: StepPlanner.localTime(until, in: zone))))
        }
        if !step.applies(to: lead) { return .stop(.skip(.conditionNotMet)) }
        // A send that fell due during a pause is due when the pause ends: it is late only from then on.
        let dueAt = max(row.dueAt, enrollment.pausedUntil ?? row.dueAt)
        if case .tooLate(let reason) = policy.scheduling.lateness(for: sequence).decide(dueAt: dueAt, now: now) {
            return .stop(.skip(.tooLate(reason)))
        }
        let owner = policy.owner(of: lead)
        let zoneName = policy.timeZone(for: lead, sequence: sequence, owner: owner)
        let zone = TimeZone(identifier: zoneName) ?? .gmt
        if !sequence.window.isOpen(at: now, in: zone) {
            guard let opening = sequence.window.nextOpening(atOrAfter: now, in: zone) else {
                return .stop(.hold(until: ScheduleTime.date(now, plus: .seconds(3600)), .windowNeverOpens))
            }
            let local = StepPlanner.localTime(opening, in: zone)
            return .stop(.hold(until: opening, .outsideWindow(sequence: sequence.id, nextOpening: local)))
        }
        let identity = SenderIdentity.resolve(
            track: sequence.track, lead: lead, marketingSender: policy.marketingSender,
            salespeople: policy.salespeople)
        guard let from = identity.from else {
            let reason: HoldReason
            if case .held(let hold) = identity { reason = hold } else { reason = .noOwner }
            return .stop(.hold(until: ScheduleTime.date(now, plus: .seconds(300)), reason))
        }
        let limits = policy.limits
        let rates = policy.scheduling.rateLimits
        let senderPerDay =
            sequence.track == .sales ? owner.map { limits.dailyLimit(for: $0) } : limits.marketingPerDay
        return .pass(
            Screened(
                row: row, lead: lead, sequence: sequence, step: step, owner: owner, identity: identity, from: from,
                timeZone: zoneName, sender: from.address.description, domain: lead.email.domain.lowercased(),
                needsGlobalCount: rates.globalPerMinute != nil, needsSenderCount: senderPerDay != nil,
                needsDomainCount: rates.perDomainPerHour != nil, senderPerDay: senderPerDay))
    }

    /// The rungs after the sender identity: the per-lead gap, the rate limits, catch-up pacing, the
    /// Message-ID and the relay's pause.
    package static func admit(
        _ screened: Screened, history: SendHistory, policy: SendPolicy, now: Date
    ) -> SendVerdict {
        let row = screened.row
        let gap = policy.limits.perLeadMinimumGap
        if gap > .zero, let last = history.lastSentToLead {
            let allowed = ScheduleTime.date(last, plus: gap)
            if allowed > now { return .hold(until: allowed, .leadGap(gap: gap, lastSent: last)) }
        }
        if case .wait(let until, let reason) = policy.scheduling.rateLimits.decide(
            counts: history.counts, senderPerDay: screened.senderPerDay, sender: screened.sender,
            domain: screened.domain, now: now)
        {
            return .hold(until: until, .rateLimit(reason))
        }
        let catchUp = policy.scheduling.catchUp
        let overdue =
            row.attempts == 0
            && (now.timeIntervalSince(row.nextAttemptAt) > ScheduleTime.seconds(catchUp.threshold)
                || row.reasonKind == .catchUp)
        if overdue,
            case .wait(let until, let reason) = catchUp.decide(
                dueAt: row.dueAt, now: now, overdueSentLastMinute: history.overdueSentLastMinute)
        {
            return .hold(until: until, .catchUp(reason))
        }
        let messageID: MessageID
        do {
            messageID = try MessageID(row.messageID)
        } catch {
            return .cancel(.invalidMessageID(row.messageID, error: "\(error)"))
        }
        if case .hold(let until, let reason) = policy.scheduling.relayPause.admit(history.relayPause, now: now) {
            return .hold(until: until, .relayPaused(reason))
        }
        let sales = screened.sequence.track == .sales
        return .send(
            ResolvedSend(
                sequence: screened.sequence, step: screened.step, identity: screened.identity, from: screened.from,
                owner: screened.owner, timeZone: screened.timeZone,
                senderTimeZone: (sales ? screened.owner?.timeZone : nil) ?? policy.defaultTimeZone,
                unsubscribeURL: sales ? nil : policy.unsubscribeURL(for: screened.lead.email), messageID: messageID,
                overdue: overdue))
    }
}
