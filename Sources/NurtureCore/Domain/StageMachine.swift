/// The lead lifecycle: applies one event to a lead and says which enrollment ends and which starts.
///
/// Rules it enforces:
/// - a stage change ends the current enrollment and starts the one the enrollment rules name;
/// - a reply, an unsubscribe and a bounce end the current enrollment and start nothing;
/// - `customer`, `disqualified`, unsubscribed and bounced leads start nothing more;
/// - with ``autoQualify``, a VBANT update that makes all five criteria `yes` moves a lead from
///   `subscriber`, `lead`, `marketing-qualified` or `recycled` to `sales-qualified`;
/// - an inbound lead with no owner reaching a sales stage gets one by weighted round-robin when
///   ``roundRobin`` is on; a sales-track sequence with no owner starts held (``HoldReason/noOwner``).
///
/// Pure: no clock, no I/O; the round-robin cursor comes in and goes out.
package struct StageMachine: Sendable {
    /// Which (stage, source) enters which sequence.
    package var rules: EnrollmentRules
    /// The track of each sequence, by id.
    package var tracks: [String: Track]
    /// The configured salespeople, in configuration order (round-robin ties go to the earlier).
    package var salespeople: [Salesperson]
    /// Promote fully VBANT-qualified leads to `sales-qualified` automatically.
    package var autoQualify: Bool
    /// Assign unowned inbound leads reaching a sales stage by weighted round-robin.
    package var roundRobin: Bool
    /// The ids round-robin picks from, in order; `nil` for every salesperson.
    package var roundRobinPool: [String]?

    /// Makes a stage machine.
    package init(
        rules: EnrollmentRules, tracks: [String: Track], salespeople: [Salesperson], autoQualify: Bool,
        roundRobin: Bool, roundRobinPool: [String]? = nil
    ) {
        self.rules = rules
        self.tracks = tracks
        self.salespeople = salespeople
        self.autoQualify = autoQualify
        self.roundRobin = roundRobin
        self.roundRobinPool = roundRobinPool
    }

    /// The salespeople round-robin may pick, in pick order.
    package var candidates: [Salesperson] {
        guard let roundRobinPool else { return salespeople }
        return roundRobinPool.compactMap { id in salespeople.first { $0.id == id } }
    }

    /// Applies `event` to `lead`, currently in `enrollment` (or none), with the round-robin state `cursor`.
    package func apply(_ event: LeadEvent, to lead: Lead, enrollment: Enrollment?, cursor: RoundRobinCursor)
        -> Transition
    {
        var transition = Transition(lead: lead, cursor: cursor)
        let exit = { (reason: EnrollmentEndReason) in enrollment.map { EnrollmentExit(enrollment: $0, reason: reason) }
        }
        switch event {
        case .replied:
            transition.ended = exit(.replied)
        case .unsubscribed:
            transition.lead.isUnsubscribed = true
            transition.ended = exit(.unsubscribed)
        case .bounced:
            transition.lead.hasBounced = true
            transition.ended = exit(.bounced)
        case .recycled:
            enter(.recycled, enrollment: enrollment, transition: &transition)
        case .stageChanged(let stage):
            enter(stage, enrollment: enrollment, transition: &transition)
        case .qualificationUpdated(let changes):
            transition.lead.qualification = lead.qualification.updating(changes)
            if autoQualify, transition.lead.qualification.isFullyMet, lead.stage.canAutoQualify {
                enter(.salesQualified, enrollment: enrollment, transition: &transition)
            }
        }
        return transition
    }

    private func enter(_ stage: Stage, enrollment: Enrollment?, transition: inout Transition) {
        guard stage != transition.lead.stage else { return }
        transition.lead.stage = stage
        if let enrollment { transition.ended = EnrollmentExit(enrollment: enrollment, reason: .stageChanged) }

        if roundRobin, stage.isSalesStage, transition.lead.source == .inbound, transition.lead.owner == nil,
            let pick = WeightedRoundRobin.next(from: candidates, cursor: transition.cursor)
        {
            transition.lead.owner = pick.salesperson.id
            transition.assignedOwner = pick.salesperson.id
            transition.cursor = pick.cursor
        }

        guard transition.lead.isContactable,
            let sequence = rules.sequence(for: stage, source: transition.lead.source)
        else { return }
        transition.started = sequence
        if tracks[sequence] == .sales {
            if let owner = transition.lead.owner {
                if !salespeople.contains(where: { $0.id == owner }) { transition.hold = .unknownOwner(owner) }
            } else {
                transition.hold = .noOwner
            }
        }
    }
}
