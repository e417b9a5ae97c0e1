// nurture-bench: Nurture's benchmark tool. Subcommands:
//
//     nurture-bench transport --port PORT ...   SMTPTransport alone against a sink (below)
//     nurture-bench seed ...                    a fresh store with N due sends (Seed.swift)
//     nurture-bench drain ...                   the real daemon drains the store; msg/s (Drain.swift)
//     nurture-bench punctuality ...             lateness of each send against its due time (Punctuality.swift)
//
// transport: how fast SMTPTransport hands composed messages to a relay.
//
// Usage: nurture-bench transport --port PORT [--host HOST] [--messages N] [--connections K]
//
// Composes N realistic messages (text and HTML, about 3 KB each) with MessageComposer, then sends them in
// clear through one SMTPTransport with a pool of K connections, K senders at once, and prints:
//
//     nurture transport: N messages, K connections, X.XX s, Y msg/s
//     outcomes: accepted=N deferred=0 failed=0 unknown=0 configuration-error=0
//
// Exits 1 unless every message was accepted, 64 on a bad command line. Meant for a loopback sink such as
// Postfix's smtp-sink (see benchmarks/transport.sh); composing is done before the clock starts.
import Foundation
import NurtureCore
import NurtureSMTP
import Synchronization

/// The command line, parsed by hand.
struct BenchOptions {
    var host = "127.0.0.1"
    var port = 0
    var messages = 20_000
    var connections = 1

    static let usage = "usage: nurture-bench --port PORT [--host HOST] [--messages N] [--connections K]"

    /// Parses `arguments` (without the program name); `nil` after printing what is wrong.
    static func parse(_ arguments: [String]) -> BenchOptions? {
        var options = BenchOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "-h" || flag == "--help" {
                print(usage)
                exit(0)
            }
            guard let value = rest.popFirst() else {
                printError("\(flag) needs a value\n\(usage)")
                return nil
            }
            switch flag {
            case "--host": options.host = value
            case "--port", "--messages", "--connections":
                guard let number = Int(value), number > 0 else {
                    printError("\(flag) \(value) is not a positive whole number")
                    return nil
                }
                if flag == "--port" { options.port = number }
                if flag == "--messages" { options.messages = number }
                if flag == "--connections" { options.connections = number }
            default:
                printError("unknown option \(flag)\n\(usage)")
                return nil
            }
        }
        guard options.port > 0 else {
            printError("--port is required\n\(usage)")
            return nil
        }
        return options
    }
}

/// Builds the benchmark's messages: a product newsletter, personalised per recipient.
enum BenchMessages {
    static let sender = try! EmailAddress("hello@acme-analytics.example")

    static let paragraph = """
        Teams that track delivery times by route usually find that a handful of stops account for most \
        of the delay. This week we look at how Northwind Logistics cut their late deliveries by a third \
        with a weekly report that ranks stops by the minutes they add, and what they changed first.
        """

    /// Message `number`, to `lead<number>@example.com`, composed to RFC 5322 bytes.
    static func message(_ number: Int, date: Date) throws -> (bytes: [UInt8], envelope: Envelope) {
        let recipient = try EmailAddress("lead\(number)@example.com")
        let name = "Lead \(number)"
        let text =
            (["Hi \(name),", paragraph, paragraph, paragraph, paragraph, "Best,\nThe Acme Analytics team"]
            + ["Unsubscribe: https://acme-analytics.example/unsubscribe/\(number)"])
            .joined(separator: "\n\n")
        let html = """
            <!DOCTYPE html>
            <html><body style="font-family: sans-serif">
            <p>Hi \(name),</p>
            <p>\(paragraph)</p>
            <p>\(paragraph)</p>
            <p>\(paragraph)</p>
            <p>Best,<br>The Acme Analytics team</p>
            <p><a href="https://acme-analytics.example/unsubscribe/\(number)">Unsubscribe</a></p>
            </body></html>
            """
        let message = OutgoingMessage(
            from: Mailbox(displayName: "Acme Analytics", address: sender),
            to: Mailbox(displayName: name, address: recipient),
            subject: "How Northwind cut late deliveries by a third", date: date,
            messageID: MessageID.make(unique: "bench-\(number)", domain: sender.domain), textBody: text,
            htmlBody: html,
            extraHeaders: [])
        return (try MessageComposer.compose(message), Envelope(sender: sender, recipient: recipient))
    }
}

/// Hands out message indexes to the senders, each index once.
final class Cursor: Sendable {
    private let next = Atomic<Int>(0)

    /// The next index to send.
    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Composes, sends, and reports; returns the exit status.
func runBenchmark(_ options: BenchOptions) async -> Int32 {
    let date = Date()
    let messages: [(bytes: [UInt8], envelope: Envelope)]
    do {
        messages = try (0..<options.messages).map { try BenchMessages.message($0, date: date) }
    } catch {
        printError("cannot compose the benchmark messages: \(error)")
        return 1
    }
    let averageSize = messages.reduce(0) { $0 + $1.bytes.count } / max(1, messages.count)
    let relay = RelayConfiguration(
        host: options.host, port: options.port, security: .plain, connectTimeout: .seconds(10),
        replyTimeout: .seconds(60), poolSize: options.connections)
    let transport: SMTPTransport
    do {
        transport = try SMTPTransport(configuration: relay)
    } catch {
        printError("\(error)")
        return 1
    }
    let cursor = Cursor()
    let clock = ContinuousClock()
    let started = clock.now
    let counts = await withTaskGroup(of: [DeliveryOutcome.Kind: Int].self) { group in
        for _ in 0..<options.connections {
            group.addTask {
                var counts: [DeliveryOutcome.Kind: Int] = [:]
                while true {
                    let index = cursor.take()
                    guard index < messages.count else { break }
                    let outcome = await transport.send(messages[index].bytes, envelope: messages[index].envelope)
                    counts[outcome.kind, default: 0] += 1
                    if outcome.kind != .accepted, counts[outcome.kind] == 1 { printError("first \(outcome)") }
                }
                return counts
            }
        }
        return await group.reduce(into: [:]) { total, counts in total.merge(counts, uniquingKeysWith: +) }
    }
    let elapsed = clock.now - started
    let opened = await transport.connectionsOpened()
    await transport.shutdown()

    let libcurl = SMTPTransport.libcurlVersion.split(separator: " ").first.map(String.init) ?? "libcurl"
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(options.messages) / max(seconds, 1e-9)
    print(
        "nurture transport: \(options.messages) messages, \(options.connections) connections, "
            + String(format: "%.2f s, %.0f msg/s", seconds, rate))
    let summary = DeliveryOutcome.Kind.allCases.map { "\($0.rawValue)=\(counts[$0] ?? 0)" }.joined(separator: " ")
    print("outcomes: \(summary)")
    print("connections opened: \(opened); average message: \(averageSize) bytes; \(libcurl)")
    return counts[.accepted] == options.messages ? 0 : 1
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "seed": exit(await SeedCommand.main(Array(arguments.dropFirst())))
case "drain": exit(await DrainCommand.main(Array(arguments.dropFirst())))
case "punctuality": exit(await PunctualityCommand.main(Array(arguments.dropFirst())))
case "render": exit(RenderBench.main(Array(arguments.dropFirst())))
case "plan": exit(await ScaleBench.main(Array(arguments.dropFirst())))
case "transport":
    guard let options = BenchOptions.parse(Array(arguments.dropFirst())) else { exit(64) }
    exit(await runBenchmark(options))
default:
    // Without a subcommand: the transport benchmark, as before subcommands existed.
    guard let options = BenchOptions.parse(arguments) else { exit(64) }
    exit(await runBenchmark(options))
}
