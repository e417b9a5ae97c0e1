import Foundation
import NurtureCore
import NurtureSMTP
import Testing

@testable import NurtureConfig

@Suite("The shipped configuration")
struct ShippedConfigTests {
    @Test("loads without problems and says what it should")
    func loads() throws {
        let configuration = try ConfigurationLoader(environment: [:]).load(file: ConfigFixtures.shippedConfig)
        #expect(configuration.relay.host == "127.0.0.1")
        #expect(configuration.relay.port == 2525)
        #expect(configuration.relay.security == .plain)
        #expect(configuration.relay.password == nil)
        #expect(configuration.marketingSender.address.description == "hello@acme-analytics.example")
        #expect(configuration.marketingSender.replyTo?.description == "team@acme-analytics.example")
        #expect(configuration.company.unsubscribeMailbox.description == "unsubscribe@acme-analytics.example")
        #expect(configuration.salespeople.map(\.id) == ["priya", "marco", "lena"])
        #expect(configuration.salesperson(id: "lena")?.isAway == true)
        #expect(configuration.salesperson(id: "priya")?.weight == 2)
        #expect(configuration.sequences.map(\.id) == ["marketing-nurture", "inbound-sales", "recycled-renurture"])
        #expect(
            configuration.sequence(id: "marketing-nurture")?.steps.map(\.id)
                == ["welcome", "guide", "case-study", "webinar", "check-in"])
        #expect(
            configuration.sequence(id: "inbound-sales")?.steps.map(\.id)
                == ["intro", "follow-up", "resources", "last-note"])
        #expect(configuration.sequence(id: "recycled-renurture")?.steps.map(\.id) == ["back", "insight", "still-here"])
        #expect(configuration.sequence(id: "inbound-sales")?.track == .sales)
        #expect(configuration.sequence(id: "inbound-sales")?.window.start == TimeOfDay(hour: 8, minute: 30))
        #expect(configuration.sequence(id: "inbound-sales")?.window.days == Weekday.workdays)
        #expect(configuration.defaults.window.holidays.contains(LocalDate(year: 2025, month: 12, day: 25)!))
        #expect(configuration.options.autoQualify && configuration.options.roundRobin)
        #expect(configuration.storePath.hasSuffix("/state/nurture.sqlite"))
        #expect(configuration.templatesDirectory.hasSuffix("/templates"))
        #expect(configuration.unsubscribeSecret == nil)
        // Three things to set before production: the unsubscribe secret, the pseudonym secret and the API tokens.
        #expect(configuration.warnings.count == 3)
        #expect(configuration.warnings.contains { $0.description.contains("no pseudonym secret") })
        #expect(configuration.warnings.contains { $0.description.contains("unsubscribe_secret") })
        #expect(configuration.warnings.contains { $0.description.contains("no API tokens") })
    }

    @Test("its rules send each stage where the issue agreed")
    func rules() throws {
        let rules = try ConfigurationLoader(environment: [:]).load(file: ConfigFixtures.shippedConfig).enrollmentRules
        for stage in [Stage.subscriber, .lead, .marketingQualified] {
            #expect(rules.sequence(for: stage, source: .inbound) == "marketing-nurture")
        }
        #expect(rules.sequence(for: .salesQualified, source: .inbound) == "inbound-sales")
        #expect(rules.sequence(for: .salesQualified, source: .outbound) == nil)
        #expect(rules.sequence(for: .recycled, source: .outbound) == "recycled-renurture")
    }
}

@Suite("The configuration's stage machine")
struct ConfigurationStageMachineTests {
    @Test("round-robin follows the pool and weights, skipping Lena who is away")
    func roundRobin() throws {
        let configuration = try ConfigurationLoader(environment: [:]).load(file: ConfigFixtures.shippedConfig)
        let machine = configuration.stageMachine
        var cursor = RoundRobinCursor()
        var owners: [String] = []
        for index in 0..<3 {
            let lead = Lead(email: try EmailAddress("lead\(index)@example.com"), stage: .marketingQualified)
            let transition = machine.apply(
                .qualificationUpdated([.vision: .yes, .budget: .yes, .need: .yes, .authority: .yes, .timeframe: .yes]),
                to: lead, enrollment: Enrollment(sequence: "marketing-nurture"), cursor: cursor)
            #expect(transition.started == "inbound-sales")
            #expect(transition.hold == nil)
            owners.append(transition.lead.owner ?? "none")
            cursor = transition.cursor
        }
        #expect(owners == ["priya", "marco", "priya"])
    }
}
