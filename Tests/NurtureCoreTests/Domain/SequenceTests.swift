import NurtureCore
import Testing

@Suite("Sequences, steps, conditions and enrollment rules")
struct SequenceTests {
    let sequence = EmailSequence(
        id: "inbound-sales", name: "Inbound sales", track: .sales,
        steps: [
            SequenceStep(id: "intro", delay: .zero),
            SequenceStep(
                id: "budget-question", delay: .seconds(86_400),
                condition: StepCondition(field: .criterion(.budget), test: .equals("unknown"))),
            SequenceStep(id: "last-note", delay: .seconds(3 * 86_400), template: "goodbye"),
        ],
        window: SendWindow())

    @Test("conditional steps are skipped for leads that do not match")
    func conditions() {
        let unknownBudget = DomainFixtures.lead()
        let knownBudget = DomainFixtures.lead(qualification: Qualification(budget: .yes))
        #expect(sequence.nextStep(after: nil, for: unknownBudget)?.id == "intro")
        #expect(sequence.nextStep(after: "intro", for: unknownBudget)?.id == "budget-question")
        #expect(sequence.nextStep(after: "intro", for: knownBudget)?.id == "last-note")
        #expect(sequence.nextStep(after: "last-note", for: knownBudget) == nil)
        #expect(sequence.nextStep(after: "missing", for: knownBudget) == nil)
        #expect(sequence.step(id: "last-note")?.template == "goodbye")
        #expect(sequence.number(ofStep: "last-note") == 3)
    }

    @Test("condition tests: equals, not equals, present, absent, attributes")
    func conditionTests() {
        var lead = DomainFixtures.lead()
        lead.company = "  "
        lead.attributes["plan"] = "Pro"
        #expect(StepCondition(field: .company, test: .absent).matches(lead))
        #expect(!StepCondition(field: .company, test: .present).matches(lead))
        #expect(StepCondition(field: .attribute("plan"), test: .equals("pro")).matches(lead))
        #expect(StepCondition(field: .attribute("seats"), test: .notEquals("10")).matches(lead))
        #expect(StepCondition(field: .source, test: .equals("inbound")).matches(lead))
        #expect(LeadField(name: "attributes.plan") == .attribute("plan"))
        #expect(LeadField(name: "budget") == .criterion(.budget))
        #expect(LeadField(name: "shoe_size") == nil)
    }

    @Test("delays: s, m, h, d, w and 0; anything else is refused")
    func delays() {
        #expect(DelayText.parse("0") == .zero)
        #expect(DelayText.parse("45s") == .seconds(45))
        #expect(DelayText.parse("30m") == .seconds(1_800))
        #expect(DelayText.parse("12h") == .seconds(43_200))
        #expect(DelayText.parse("3d") == .seconds(259_200))
        #expect(DelayText.parse("2w") == .seconds(1_209_600))
        for bad in ["", "3", "3x", "-1d", "d", "1.5d", "३d"] { #expect(DelayText.parse(bad) == nil, "\(bad)") }
        #expect(DelayText.format(.seconds(259_200)) == "3d")
        #expect(DelayText.format(.seconds(5_400)) == "90m")
        #expect(DelayText.format(.seconds(90)) == "90s")
    }

    @Test("a rule for the lead's source wins over a rule for any source")
    func rulePrecedence() {
        let rules = EnrollmentRules([
            EnrollmentRule(stage: .salesQualified, sequence: "generic"),
            EnrollmentRule(stage: .salesQualified, source: .inbound, sequence: "inbound-sales"),
        ])
        #expect(rules.sequence(for: .salesQualified, source: .inbound) == "inbound-sales")
        #expect(rules.sequence(for: .salesQualified, source: .outbound) == "generic")
        #expect(rules.sequence(for: .customer, source: .inbound) == nil)
        #expect(rules.reachableSequences == ["generic", "inbound-sales"])
    }

    @Test("qualification: subscripts, updates, fully met")
    func qualification() {
        var qualification = Qualification(vision: .yes, budget: .no)
        #expect(qualification[.budget] == .no)
        qualification[.budget] = .yes
        #expect(!qualification.isFullyMet)
        #expect(qualification.updating(DomainFixtures.allYes).isFullyMet)
        #expect(Stage(rawValue: "sales-qualified") == .salesQualified)
        #expect(Stage.customer.isTerminal && !Stage.recycled.isTerminal)
    }
}
