import Foundation
import NurtureConfig
import NurtureCore

/// `nurture-bench seed`: fills the configuration's store with N due sends, half on each track.
///
/// Usage: nurture-bench seed --config FILE --sends N [--start-in SECONDS] [--spread SECONDS]
///
/// Leads `bench<i>@<domain>` alternate between marketing (stage `lead`, sequence `marketing-nurture`) and
/// sales (stage `sales-qualified`, inbound, owned by the configuration's salespeople in turn, sequence
/// `inbound-sales`). Each gets its enrollment and the first step of its sequence planned, as the daemon
/// would plan it, with the due time moved to `now + start-in` (every send) or, with `--spread`, to a random
/// moment in `[now + start-in, now + start-in + spread)`. Everything goes through the store port's batch calls
/// (SQLite, or PostgreSQL when the configuration names a database, see ``BenchStore``): one transaction for
/// the leads, one for the enrollments, one for the sends.
enum SeedCommand {
    static let usage = "usage: nurture-bench seed --config FILE --sends N [--start-in SECONDS] [--spread SECONDS]"

    /// All five VBANT criteria met: what made the sales leads sales-qualified.
    static let qualified = Qualification(vision: .yes, budget: .yes, need: .yes, authority: .yes, timeframe: .yes)

    /// The recipient domains, so per-domain figures are not all one domain.
    static let domains = ["example.com", "example.org", "example.net", "bench.example"]

    /// Runs the subcommand; returns the exit status.
    static func main(_ arguments: [String]) async -> Int32 {
        guard let flags = Flags.parse(arguments, usage: usage, required: ["--config", "--sends"]),
            let sends = flags.positiveInt("--sends")
        else { return 64 }
        let startIn = flags.double("--start-in") ?? 0
        let spread = flags.double("--spread") ?? 0
        do {
            let configuration = try ConfigurationLoader().load(file: flags["--config"]!)
            let clock = ContinuousClock()
            let began = clock.now
            let seeded = try await BenchStore.with(configuration) { store in
                try await seed(
                    store: store, configuration: configuration, count: sends, now: Date(),
                    startIn: startIn, spread: spread)
            }
            let seconds = (clock.now - began).seconds
            let place = configuration.database.map { "\($0)" } ?? configuration.storePath
            print(
                "seeded \(sends) due sends (\(seeded.marketing) marketing, \(seeded.sales) sales) in "
                    + String(format: "%.2f s", seconds) + " into \(place)")
            return 0
        } catch {
            printError("seed: \(error)")
            return 1
        }
    }

    /// Saves the leads, enrolls them and plans their first step; returns how many sends each track got.
    static func seed(
        store: any SendStore, configuration: NurtureConfiguration, count: Int, now: Date, startIn: Double,
        spread: Double
    ) async throws -> (marketing: Int, sales: Int) {
        guard let marketing = configuration.sequence(id: "marketing-nurture"),
            let sales = configuration.sequence(id: "inbound-sales")
        else { throw SeedError("the configuration needs the sequences marketing-nurture and inbound-sales") }
        let owners = configuration.salespeople.filter { !$0.isAway }.map(\.id)
        guard !owners.isEmpty else { throw SeedError("the configuration needs a salesperson who is not away") }
        var leads: [Lead] = []
        leads.reserveCapacity(count)
        for index in 0..<count {
            let isSales = index % 2 == 1
            leads.append(
                Lead(
                    email: try EmailAddress("bench\(index)@\(domains[index % domains.count])"),
                    firstName: "Lead", lastName: "Number \(index)", company: "Company \(index % 97)",
                    title: "Operations Lead", timeZone: "America/New_York",
                    stage: isSales ? .salesQualified : .lead, source: .inbound,
                    owner: isSales ? owners[(index / 2) % owners.count] : nil,
                    qualification: isSales ? Self.qualified : .unknown))
        }
        try await store.saveLeads(leads, at: now)
        let enrollments = try await store.enrollAll(
            leads.map { EnrollmentRequest(email: $0.email, sequence: $0.stage == .lead ? marketing.id : sales.id) },
            at: now, endingOthers: .stageChanged)
        let first = ScheduleTime.date(now, plus: .milliseconds(Int64(startIn * 1000)))
        var generator = SystemRandomNumberGenerator()
        var planned: [NewPlannedSend] = []
        planned.reserveCapacity(count)
        for (lead, enrollment) in zip(leads, enrollments) {
            let sequence = enrollment.sequence == marketing.id ? marketing : sales
            let decision = StepPlanner.next(
                enrollment: enrollment, sequence: sequence, lead: lead, after: nil, previousFinishedAt: nil,
                timeZone: .gmt, jitter: .zero, messageIDDomain: configuration.marketingSender.address.domain,
                unique: UUID().uuidString)
            guard case .plan(var send) = decision else {
                throw SeedError("cannot plan the first step of \(sequence.id) for \(lead.email): \(decision)")
            }
            let offset = spread > 0 ? Double.random(in: 0..<spread, using: &generator) : 0
            send.dueAt = ScheduleTime.date(first, plus: .milliseconds(Int64(offset * 1000)))
            send.nextAttemptAt = send.dueAt
            send.reason = nil
            planned.append(send)
        }
        _ = try await store.planAll(planned, at: now)
        let salesCount = leads.filter { $0.stage == .salesQualified }.count
        return (count - salesCount, salesCount)
    }
}

/// Why seeding stopped.
struct SeedError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
