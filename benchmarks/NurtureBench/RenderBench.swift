// `nurture-bench render`: how many messages a second render + compose makes, per core, and with DKIM signing.
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDKIM
import NurtureDaemon
import NurtureTemplates
import Synchronization

/// Renders a typical step of each track from the shipped templates and configuration through
/// `MessageBuilder` (template context, strict rendering, unsubscribe link and headers, MIME composition),
/// first on one thread, then with one worker per core. The reference, measured in the same run, composes the
/// very same messages with `MessageComposer` alone: the ratio says what rendering adds to composing.
enum RenderBench {
    static let usage = "usage: nurture-bench render [--config FILE] [--messages N] [--json FILE]"

    /// The steps measured: the marketing track's first step and the sales track's first step.
    static let steps = [("marketing-nurture", "welcome"), ("inbound-sales", "intro")]

    /// Parses `arguments` (after `render`), runs, prints, and returns the exit status.
    static func main(_ arguments: [String]) -> Int32 {
        guard
            let flags = Flags.parse(
                arguments, usage: usage, required: [], allowed: ["--config", "--messages", "--json"]),
            let messages = flags["--messages"] == nil ? 20_000 : flags.positiveInt("--messages")
        else { return 64 }
        let config = flags["--config"] ?? "config/nurture.yaml"
        let json = flags["--json"]
        do {
            let builder = try loadBuilder(config)
            return try run(builder: builder, messages: messages, json: json)
        } catch {
            printError("render benchmark: \(error)")
            return 1
        }
    }

    static func loadBuilder(_ file: String) throws -> MessageBuilder {
        let configuration = try ConfigurationLoader().load(file: file)
        let library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
        return MessageBuilder(configuration: configuration, library: library)
    }

    /// Lead `number`: a marketing-track lead or a sales-qualified lead with an owner, every second one.
    static func lead(_ number: Int) throws -> Lead {
        let sales = number % 2 == 1
        return Lead(
            email: try EmailAddress("lead\(number)@example.com"), firstName: ["Ana", "Zoë", "Søren"][number % 3],
            lastName: "Lima", company: "Northwind Logistics", title: "Head of Data",
            timeZone: ["Europe/Berlin", "America/New_York", nil][number % 3],
            stage: sales ? .salesQualified : .lead, owner: sales ? ["priya", "marco"][number / 2 % 2] : nil,
            attributes: ["industry": "logistics"])
    }

    /// Builds message `index` for one of 1,000 leads: even indexes the marketing step for a marketing lead,
    /// odd ones the sales step for a lead with an owner.
    static func build(_ builder: MessageBuilder, _ leads: [Lead], _ index: Int, date: Date) throws
        -> MessageBuilder.Built
    {
        let (sequence, step) = steps[index % 2]
        return try builder.build(
            lead: leads[index % leads.count], sequenceID: sequence, stepID: step, date: date,
            unique: "bench-\(index)")
    }

    static func run(builder: MessageBuilder, messages: Int, json: String?) throws -> Int32 {
        let leads = try (0..<1_000).map(lead)
        let date = Date()
        // Warm up, check every message, and keep what the reference composes.
        let samples = try (0..<min(messages, 2_000)).map { try build(builder, leads, $0, date: date) }
        let averageBytes = samples.reduce(0) { $0 + $1.bytes.count } / samples.count
        let cores = ProcessInfo.processInfo.activeProcessorCount

        let single = try measure(messages, workers: 1) { index in
            _ = try build(builder, leads, index, date: date)
        }
        let parallel = try measure(messages, workers: cores) { index in
            _ = try build(builder, leads, index, date: date)
        }
        let composeOnly = try measure(messages, workers: 1) { index in
            _ = try MessageComposer.compose(samples[index % samples.count].message)
        }
        let ratio = single / composeOnly
        // The same messages signed as the daemon signs them, one algorithm at a time (a fresh key of each).
        var signed: [String: (single: Double, parallel: Double)] = [:]
        for algorithm in DKIMAlgorithm.allCases {
            let signing = try signingBuilder(builder, algorithm)
            let single = try measure(messages, workers: 1) { index in
                _ = try build(signing, leads, index, date: date)
            }
            let parallel = try measure(messages, workers: cores) { index in
                _ = try build(signing, leads, index, date: date)
            }
            signed[algorithm.rawValue] = (single, parallel)
        }
        print("render + compose, 1 thread: \(messages) messages, \(format(single)) msg/s")
        print(
            "render + compose, \(cores) workers: \(messages) messages, \(format(parallel)) msg/s,"
                + " \(format(parallel / Double(cores))) msg/s per core")
        print("compose only (reference), 1 thread: \(format(composeOnly)) msg/s")
        print("ratio render+compose / compose-only: " + String(format: "%.3f", ratio))
        for algorithm in DKIMAlgorithm.allCases {
            guard let rates = signed[algorithm.rawValue] else { continue }
            print(
                "render + compose + sign \(algorithm), 1 thread: \(format(rates.single)) msg/s;"
                    + " \(cores) workers: \(format(rates.parallel / Double(cores))) msg/s per core;"
                    + " ratio to render + compose (per core): "
                    + String(format: "%.3f", rates.parallel / parallel))
        }
        print("average message: \(averageBytes) bytes; steps: marketing-nurture/welcome, inbound-sales/intro")
        if let json {
            let object: [String: Any] = [
                "messages": messages, "cores": cores, "average_bytes": averageBytes,
                "single_thread_msg_per_s": single, "parallel_msg_per_s": parallel,
                "parallel_msg_per_s_per_core": parallel / Double(cores), "compose_only_msg_per_s": composeOnly,
                "ratio": ratio,
                "signed": Dictionary(
                    uniqueKeysWithValues: signed.map { name, rates in
                        (
                            name,
                            [
                                "single_thread_msg_per_s": rates.single, "parallel_msg_per_s": rates.parallel,
                                "parallel_msg_per_s_per_core": rates.parallel / Double(cores),
                                "ratio_per_core": rates.parallel / parallel,
                            ]
                        )
                    }),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
        return 0
    }

    /// `builder` with one new key of `algorithm` signing both tracks' From domain.
    static func signingBuilder(_ builder: MessageBuilder, _ algorithm: DKIMAlgorithm) throws -> MessageBuilder {
        var configuration = builder.configuration
        let domains = Set(
            [configuration.marketingSender.address.domain] + configuration.salespeople.map(\.email.domain))
        let privateKey = try DKIMPrivateKey.generate(algorithm)
        let keys = domains.map { DKIMKey(domain: $0, selector: "bench", privateKey: privateKey, source: "generated") }
        configuration.dkim = DKIMSettings(signer: DKIMSigner(keys: keys))
        return MessageBuilder(configuration: configuration, library: builder.library)
    }

    /// Runs `body` for indexes 0..<count split over `workers` threads; returns calls per second (wall clock).
    static func measure(_ count: Int, workers: Int, _ body: @Sendable @escaping (Int) throws -> Void) throws -> Double {
        let failures = FailureBox()
        let clock = ContinuousClock()
        let started = clock.now
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < count {
                do {
                    try body(index)
                } catch {
                    failures.record(error)
                    return
                }
                index += workers
            }
        }
        let elapsed = clock.now - started
        if let error = failures.first { throw error }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(count) / max(seconds, 1e-9)
    }

    static func format(_ rate: Double) -> String { String(format: "%.0f", rate) }
}

/// The first error any worker met.
final class FailureBox: Sendable {
    private let errors = Mutex<[any Error]>([])

    func record(_ error: any Error) { errors.withLock { $0.append(error) } }

    var first: (any Error)? { errors.withLock { $0.first } }
}
