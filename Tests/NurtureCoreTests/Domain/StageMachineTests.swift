import NurtureCore
import Testing

@Suite("Stage machine")
struct StageMachineTests {
    let nurture = Enrollment(sequence: "marketing-nurture", lastStep: "guide")
    let sales = Enrollment(sequence: "inbound-sales", lastStep: "intro")

    @Test("a stage change ends the current enrollment and starts the rule's sequence")
    func stageChange() {
        let lead = DomainFixtures.lead(stage: .subscriber)
        let result = DomainFixtures.machine().apply(
            .stageChanged(to: .marketingQualified), to: lead, enrollment: nurture, cursor: .init())
        #expect(result.lead.stage == .marketingQualified)
        #expect(result.ended == EnrollmentExit(enrollment: nurture, reason: .stageChanged))
        #expect(result.started == "marketing-nurture")
        #expect(result.hold == nil)
    }

    @Test("changing to the stage the lead is already in changes nothing")
    func sameStage() {
        let lead = DomainFixtures.lead(stage: .lead)
        let result = DomainFixtures.machine().apply(
            .stageChanged(to: .lead), to: lead, enrollment: nurture, cursor: .init())
        #expect(result.ended == nil)
        #expect(result.started == nil)
        #expect(result.lead == lead)
    }

    @Test("all five VBANT criteria yes promotes to sales-qualified when auto-qualification is on")
    func autoQualification() {
        let lead = DomainFixtures.lead(stage: .marketingQualified)
        let result = DomainFixtures.machine().apply(
            .qualificationUpdated(DomainFixtures.allYes), to: lead, enrollment: nurture, cursor: .init())
        #expect(result.lead.stage == .salesQualified)
        #expect(result.lead.qualification.isFullyMet)
        #expect(result.ended?.reason == .stageChanged)
        #expect(result.started == "inbound-sales")
        #expect(result.lead.owner != nil)
    }

    @Test("four of five criteria only records the qualification")
    func partialQualification() {
        var changes = DomainFixtures.allYes
        changes[.budget] = .unknown
        let lead = DomainFixtures.lead(stage: .lead)
        let result = DomainFixtures.machine().apply(
            .qualificationUpdated(changes), to: lead, enrollment: nurture, cursor: .init())
        #expect(result.lead.stage == .lead)
        #expect(result.lead.qualification.budget == .unknown)
        #expect(result.lead.qualification.need == .yes)
        #expect(result.ended == nil)
        #expect(result.started == nil)
    }

    @Test("auto-qualification off: the stage stays")
    func autoQualificationOff() {
        let lead = DomainFixtures.lead(stage: .lead)
        let result = DomainFixtures.machine(autoQualify: false).apply(
            .qualificationUpdated(DomainFixtures.allYes), to: lead, enrollment: nurture, cursor: .init())
        #expect(result.lead.stage == .lead)
        #expect(result.lead.qualification.isFullyMet)
        #expect(result.started == nil)
    }

    @Test(
        "auto-qualification never moves a customer, an opportunity or a disqualified lead",
        arguments: [
            Stage.customer, .opportunity, .disqualified, .salesQualified,
        ])
    func autoQualificationOnlyFromEarlyStages(stage: Stage) {
        let lead = DomainFixtures.lead(stage: stage, owner: "priya")
        let result = DomainFixtures.machine().apply(
            .qualificationUpdated(DomainFixtures.allYes), to: lead, enrollment: nil, cursor: .init())
        #expect(result.lead.stage == stage)
        #expect(result.started == nil)
    }

    @Test("recycling ends sales mail and starts re-nurture; the owner is kept")
    func recycling() {
        let lead = DomainFixtures.lead(stage: .salesQualified, owner: "priya")
        let result = DomainFixtures.machine().apply(.recycled, to: lead, enrollment: sales, cursor: .init())
        #expect(result.lead.stage == .recycled)
        #expect(result.ended == EnrollmentExit(enrollment: sales, reason: .stageChanged))
        #expect(result.started == "recycled-renurture")
        #expect(result.lead.owner == "priya")
        #expect(result.hold == nil)
    }

    @Test("a recycled lead that qualifies again goes back to sales")
    func requalifyAfterRecycling() {
        let lead = DomainFixtures.lead(stage: .recycled, owner: "priya")
        let result = DomainFixtures.machine().apply(
            .qualificationUpdated(DomainFixtures.allYes), to: lead,
            enrollment: Enrollment(sequence: "recycled-renurture"), cursor: .init())
        #expect(result.lead.stage == .salesQualified)
        #expect(result.started == "inbound-sales")
        #expect(result.lead.owner == "priya")
        #expect(result.assignedOwner == nil)
    }

    @Test(
        "reply, unsubscribe and bounce end the enrollment and start nothing",
        arguments: [
            (LeadEvent.replied, EnrollmentEndReason.replied),
            (.unsubscribed, .unsubscribed),
            (.bounced, .bounced),
        ])
    func exits(event: LeadEvent, reason: EnrollmentEndReason) {
        let lead = DomainFixtures.lead(stage: .lead)
        let result = DomainFixtures.machine().apply(event, to: lead, enrollment: nurture, cursor: .init())
        #expect(result.ended == EnrollmentExit(enrollment: nurture, reason: reason))
        #expect(result.started == nil)
        #expect(result.lead.stage == .lead)
        #expect(result.lead.isUnsubscribed == (event == .unsubscribed))
        #expect(result.lead.hasBounced == (event == .bounced))
    }

    @Test("customer and disqualified receive nothing more", arguments: [Stage.customer, .disqualified])
    func terminalStages(stage: Stage) {
        let rules = EnrollmentRules(DomainFixtures.rules.rules + [EnrollmentRule(stage: stage, sequence: "oops")])
        var machine = DomainFixtures.machine()
        machine.rules = rules
        let lead = DomainFixtures.lead(stage: .salesQualified, owner: "priya")
        let result = machine.apply(.stageChanged(to: stage), to: lead, enrollment: sales, cursor: .init())
        #expect(result.lead.stage == stage)
        #expect(result.ended?.reason == .stageChanged)
        #expect(result.started == nil)
    }

    @Test("unsubscribed and bounced leads start nothing on a later stage change", arguments: [true, false])
    func flaggedLeadsStartNothing(unsubscribed: Bool) {
        var lead = DomainFixtures.lead(stage: .lead)
        lead.isUnsubscribed = unsubscribed
        lead.hasBounced = !unsubscribed
        let result = DomainFixtures.machine().apply(
            .stageChanged(to: .marketingQualified), to: lead, enrollment: nil, cursor: .init())
        #expect(result.lead.stage == .marketingQualified)
        #expect(result.started == nil)
    }

    @Test("an unowned inbound sales-qualified lead gets an owner by round-robin")
    func roundRobinAssignment() {
        let machine = DomainFixtures.machine(salespeople: [
            DomainFixtures.salesperson("priya", weight: 2), DomainFixtures.salesperson("marco"),
        ])
        var cursor = RoundRobinCursor()
        var owners: [String] = []
        for index in 0..<6 {
            let lead = DomainFixtures.lead("lead\(index)@example.com", stage: .marketingQualified)
            let result = machine.apply(.stageChanged(to: .salesQualified), to: lead, enrollment: nil, cursor: cursor)
            #expect(result.hold == nil)
            #expect(result.assignedOwner == result.lead.owner)
            owners.append(result.lead.owner ?? "none")
            cursor = result.cursor
        }
        #expect(owners == ["priya", "marco", "priya", "priya", "marco", "priya"])
    }

    @Test("round-robin skips away salespeople")
    func roundRobinSkipsAway() {
        let machine = DomainFixtures.machine(salespeople: [
            DomainFixtures.salesperson("priya", away: true), DomainFixtures.salesperson("marco"),
        ])
        let lead = DomainFixtures.lead(stage: .marketingQualified)
        let result = machine.apply(.stageChanged(to: .salesQualified), to: lead, enrollment: nil, cursor: .init())
        #expect(result.lead.owner == "marco")
    }

    @Test("without round-robin an unowned inbound lead's sales sequence is held: no owner")
    func heldWithoutOwner() {
        let lead = DomainFixtures.lead(stage: .marketingQualified)
        let result = DomainFixtures.machine(roundRobin: false).apply(
            .stageChanged(to: .salesQualified), to: lead, enrollment: nurture, cursor: .init())
        #expect(result.started == "inbound-sales")
        #expect(result.lead.owner == nil)
        #expect(result.hold == .noOwner)
        #expect(result.hold?.description.hasPrefix("held: no owner") == true)
    }

    @Test("everyone away: held, no owner")
    func heldWhenEveryoneAway() {
        let machine = DomainFixtures.machine(salespeople: [DomainFixtures.salesperson("priya", away: true)])
        let lead = DomainFixtures.lead(stage: .marketingQualified)
        let result = machine.apply(.stageChanged(to: .salesQualified), to: lead, enrollment: nil, cursor: .init())
        #expect(result.hold == .noOwner)
        #expect(result.cursor == RoundRobinCursor())
    }

    @Test("an owner that is not configured holds the sales sequence")
    func unknownOwner() {
        let lead = DomainFixtures.lead(stage: .marketingQualified, owner: "ghost")
        let result = DomainFixtures.machine().apply(
            .stageChanged(to: .salesQualified), to: lead, enrollment: nil, cursor: .init())
        #expect(result.hold == .unknownOwner("ghost"))
        #expect(result.lead.owner == "ghost")
    }

    @Test("outbound leads are never assigned by round-robin, and have no inbound-sales rule")
    func outboundNotAssigned() {
        let lead = DomainFixtures.lead(stage: .marketingQualified, source: .outbound)
        let result = DomainFixtures.machine().apply(
            .stageChanged(to: .salesQualified), to: lead, enrollment: nil, cursor: .init())
        #expect(result.lead.owner == nil)
        #expect(result.assignedOwner == nil)
        #expect(result.started == nil)
    }

    @Test("a stage with no rule ends the enrollment and starts nothing")
    func noRule() {
        let lead = DomainFixtures.lead(stage: .salesQualified, owner: "priya")
        let result = DomainFixtures.machine().apply(
            .stageChanged(to: .opportunity), to: lead, enrollment: sales, cursor: .init())
        #expect(result.ended?.reason == .stageChanged)
        #expect(result.started == nil)
    }
}
