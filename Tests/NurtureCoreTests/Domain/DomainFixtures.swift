import Foundation
import NurtureCore

/// Small builders shared by the domain tests.
enum DomainFixtures {
    static func address(_ text: String) -> EmailAddress {
        try! EmailAddress(text)
    }

    static func lead(
        _ email: String = "dana@example.com", stage: Stage = .subscriber, source: LeadSource = .inbound,
        owner: String? = nil, qualification: Qualification = .unknown
    ) -> Lead {
        Lead(
            email: address(email), firstName: "Dana", stage: stage, source: source, owner: owner,
            qualification: qualification)
    }

    static func salesperson(_ id: String, weight: Int = 1, away: Bool = false, zone: String? = nil) -> Salesperson {
        Salesperson(
            id: id, name: "\(id.capitalized) Person", email: address("\(id)@acme.example"), title: "Account Executive",
            timeZone: zone, weight: weight, isAway: away)
    }

    static let rules = EnrollmentRules([
        EnrollmentRule(stage: .subscriber, sequence: "marketing-nurture"),
        EnrollmentRule(stage: .lead, sequence: "marketing-nurture"),
        EnrollmentRule(stage: .marketingQualified, sequence: "marketing-nurture"),
        EnrollmentRule(stage: .salesQualified, source: .inbound, sequence: "inbound-sales"),
        EnrollmentRule(stage: .recycled, sequence: "recycled-renurture"),
    ])

    static let tracks: [String: Track] = [
        "marketing-nurture": .marketing, "inbound-sales": .sales, "recycled-renurture": .marketing,
    ]

    static func machine(
        autoQualify: Bool = true, roundRobin: Bool = true,
        salespeople: [Salesperson] = [salesperson("priya"), salesperson("marco")]
    ) -> StageMachine {
        StageMachine(
            rules: rules, tracks: tracks, salespeople: salespeople, autoQualify: autoQualify, roundRobin: roundRobin)
    }

    static let allYes: [VBANTCriterion: CriterionStatus] = [
        .vision: .yes, .budget: .yes, .need: .yes, .authority: .yes, .timeframe: .yes,
    ]
}
