import Foundation
import NurtureCore
import Testing

@testable import NurtureConfig

@Suite("The scheduling section")
struct SchedulingConfigTests {
    /// The shipped text without its `scheduling:` section (comment included).
    static var withoutScheduling: String {
        let text = ConfigFixtures.shippedText
        guard let start = text.range(of: "\n# How sends are paced") else {
            preconditionFailure("the shipped config no longer has its scheduling section")
        }
        return String(text[..<start.lowerBound]) + "\n"
    }

    private func load(_ text: String) throws -> NurtureConfiguration {
        try ConfigFixtures.withConfig(text) { file, loader in try loader.load(file: file) }
    }

    @Test("absent, empty or as shipped: the defaults")
    func defaults() throws {
        let absent = try load(Self.withoutScheduling)
        #expect(absent.scheduling == SchedulingPolicy())
        #expect(absent.sequences.allSatisfy { $0.maxLateness == nil })
        #expect(try load(Self.withoutScheduling + "scheduling:\n").scheduling == SchedulingPolicy())
        let shipped = try ConfigurationLoader(environment: [:]).load(file: ConfigFixtures.shippedConfig)
        #expect(shipped.scheduling == SchedulingPolicy())
        #expect(shipped.scheduling.retry == RetryPolicy())
        #expect(shipped.scheduling.unknownOutcome == .hold)
        #expect(shipped.scheduling.lateness.maxLateness == .seconds(2 * 86_400))
        #expect(shipped.scheduling.catchUp == CatchUpPacing(threshold: .seconds(60), perMinute: 60))
        #expect(shipped.scheduling.salesJitter.maximum == .seconds(240))
        #expect(shipped.scheduling.rateLimits == RateLimits())
    }

    @Test("every key is read")
    func everyKey() throws {
        let text =
            Self.withoutScheduling + """
                scheduling:
                  retry_first: 10m
                  retry_max: 2h
                  give_up_after: 3d
                  unknown_outcome: resend
                  max_lateness: 12h
                  catch_up_after: 5m
                  catch_up_per_minute: 20
                  sales_jitter: 0
                  global_per_minute: 120
                  per_domain_per_hour: 30

                """
        let policy = try load(text).scheduling
        #expect(
            policy.retry
                == RetryPolicy(firstDelay: .seconds(600), maxDelay: .seconds(7_200), giveUpAfter: .seconds(259_200)))
        #expect(policy.unknownOutcome == .resend)
        #expect(policy.lateness == Lateness(maxLateness: .seconds(43_200)))
        #expect(policy.catchUp == CatchUpPacing(threshold: .seconds(300), perMinute: 20))
        #expect(policy.salesJitter == .none)
        #expect(policy.rateLimits == RateLimits(globalPerMinute: 120, perDomainPerHour: 30))
    }

    @Test("retry_first alone above the default cap raises the cap with it")
    func firstAboveDefaultCap() throws {
        let policy = try load(Self.withoutScheduling + "scheduling:\n  retry_first: 2h\n").scheduling
        #expect(policy.retry.firstDelay == .seconds(7_200))
        #expect(policy.retry.maxDelay == .seconds(7_200))
    }

    @Test("a sequence's own max_lateness overrides the default for that sequence only")
    func perSequence() throws {
        let text = ConfigFixtures.shipped(replacing: "    track: sales", with: "    track: sales\n    max_lateness: 6h")
        let configuration = try load(text)
        #expect(configuration.sequence(id: "inbound-sales")?.maxLateness == .seconds(21_600))
        #expect(configuration.sequence(id: "marketing-nurture")?.maxLateness == nil)
        #expect(configuration.lateness(forSequence: "inbound-sales") == Lateness(maxLateness: .seconds(21_600)))
        #expect(configuration.lateness(forSequence: "marketing-nurture") == configuration.scheduling.lateness)
    }

    static let breakages: [Breakage] = [
        Breakage(
            old: "  retry_first: 5m", new: "  retry_first: 5x", field: "scheduling.retry_first",
            fragment: "`5x` is not a delay; write a whole number and a unit"),
        Breakage(
            old: "  retry_first: 5m", new: "  retry_first: 0", field: "scheduling.retry_first",
            fragment: "`0` is too short here: it must be more than zero; write a delay of at least 1m"),
        Breakage(
            old: "  retry_max: 1h", new: "  retry_max: 2m", field: "scheduling.retry_max",
            fragment: "the longest retry delay `2m` is shorter than the first one (retry_first `5m`)"),
        Breakage(
            old: "  give_up_after: 5d", new: "  give_up_after: [5d]", field: "scheduling.give_up_after",
            fragment: "expected a single value, found a list"),
        Breakage(
            old: "  give_up_after: 5d", new: "  give_up_after: 0", field: "scheduling.give_up_after",
            fragment: "must be more than zero"),
        Breakage(
            old: "  unknown_outcome: hold", new: "  unknown_outcome: retry", field: "scheduling.unknown_outcome",
            fragment: "`retry` is not one of hold, resend"),
        Breakage(
            old: "  max_lateness: 2d", new: "  max_lateness: -1d", field: "scheduling.max_lateness",
            fragment: "`-1d` is not a delay"),
        Breakage(
            old: "  catch_up_after: 1m", new: "  catch_up_after: 1 minute", field: "scheduling.catch_up_after",
            fragment: "`1 minute` is not a delay"),
        Breakage(
            old: "  catch_up_per_minute: 60", new: "  catch_up_per_minute: 0", field: "scheduling.catch_up_per_minute",
            fragment: "`0` is not a whole number at least 1"),
        Breakage(
            old: "  sales_jitter: 4m", new: "  sales_jitter: four minutes", field: "scheduling.sales_jitter",
            fragment: "`four minutes` is not a delay"),
        Breakage(
            old: "  # global_per_minute: 120", new: "  global_per_minute: lots", field: "scheduling.global_per_minute",
            fragment: "`lots` is not a whole number at least 1"),
        Breakage(
            old: "  # per_domain_per_hour: 30", new: "  per_domain_per_hour: 0",
            field: "scheduling.per_domain_per_hour",
            fragment: "`0` is not a whole number at least 1"),
        Breakage(
            old: "  sales_jitter: 4m", new: "  sale_jitter: 4m", field: "scheduling.sale_jitter",
            fragment: "unknown key `sale_jitter`; did you mean `sales_jitter`?"),
        Breakage(
            old: "    track: sales", new: "    track: sales\n    max_lateness: soon",
            field: "sequences[1].max_lateness",
            fragment: "`soon` is not a delay", lineOf: "    max_lateness: soon"),
        Breakage(
            old: "    track: sales", new: "    track: sales\n    max_lateness: 0", field: "sequences[1].max_lateness",
            fragment: "must be more than zero", lineOf: "    max_lateness: 0"),
        Breakage(
            old: "    track: sales", new: "    track: sales\n    max_latenes: 1d", field: "sequences[1].max_latenes",
            fragment: "unknown key `max_latenes`; did you mean `max_lateness`?", lineOf: "    max_latenes: 1d"),
    ]

    @Test("a section that is not a mapping is reported where it is")
    func notAMapping() {
        let text = Self.withoutScheduling + "scheduling: fast\n"
        let problem = ConfigFixtures.problems(text).first { $0.field == "scheduling" }
        #expect(problem?.problem == "expected a mapping (`key: value` lines), found the value `fast`")
        #expect(problem?.line == ConfigFixtures.line(of: "scheduling: fast", in: text))
    }

    @Test("each bad value is reported with its line, column and field path", arguments: breakages)
    func reported(_ breakage: Breakage) throws {
        let text = ConfigFixtures.shipped(replacing: breakage.old, with: breakage.new)
        let problems = ConfigFixtures.problems(text)
        let got = problems.map(\.description).joined(separator: "\n")
        let match = try #require(
            problems.first { $0.field == breakage.field && $0.description.contains(breakage.fragment) },
            "no problem for \(breakage.field) containing \(breakage.fragment); got:\n\(got)")
        let needle = breakage.lineOf ?? String(breakage.new.split(separator: "\n").first ?? "")
        #expect(match.line == ConfigFixtures.line(of: needle, in: text))
        #expect(match.column != nil)
        #expect(match.description.hasPrefix("\(match.file):\(match.line!):\(match.column!): \(breakage.field): "))
        #expect(!match.fix.isEmpty)
    }
}
