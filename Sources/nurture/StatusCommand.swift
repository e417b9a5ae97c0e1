import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureSQLite

/// `nurture status`: the queue by state, the next due send, recent sending and the limits in force.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue by state, the next due send, recent sends and the limits in force.",
        discussion: """
            Reads the store (the daemon need not run): how many sends are in each state, when the earliest \
            waiting send is due, how many were accepted in the last hour and the last 24 hours, the rate limits \
            from the configuration with each sender's use of its daily limit, the relays the daemon paused after \
            a relay-level refusal (with the cause and when the next probe goes), and the number of leads. \
            With --json, the same as one JSON object.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Flag(help: "One JSON object instead of text.")
    var json = false

    /// What `status` reports, read from the store at one instant.
    struct Report {
        /// One sender mailbox and its use of its daily limit.
        struct Sender {
            var name: String
            var address: String
            var dailyLimit: Int?
            var sentLast24Hours: Int
            var note: String?
        }

        var now: Date
        var counts: [SendState: Int]
        var nextDue: Date?
        var sentLastHour: Int
        var sentLast24Hours: Int
        var globalPerMinute: Int?
        var perDomainPerHour: Int?
        var salespersonDefault: Int
        var senders: [Sender]
        var leads: Int
        /// Relays paused after a relay-level refusal (the sender, the login, policy, TLS settings).
        var pauses: [RelayPause] = []
    }

    func run() throws {
        let (configuration, store) = try StoreLocation.open(
            config: options.config, stateDirectory: stateDirectory.path, access: .readOnly)
        let report: Report
        do {
            report = try Self.report(configuration: configuration, store: store, now: Date())
        } catch {
            printError("cannot read the store \(store.path): \(error)")
            throw ExitCode.failure
        }
        print(json ? Self.json(report) : Self.text(report))
    }

    /// Reads every figure `status` shows.
    static func report(
        configuration: NurtureConfiguration, store: any SendStore, now: Date
    ) throws(StoreError) -> Report {
        let dayAgo = ScheduleTime.date(now, plus: .seconds(-86_400))
        let limits = configuration.defaults.limits
        let marketing = configuration.marketingSender.address.description
        var senders = [
            Report.Sender(
                name: "marketing", address: marketing, dailyLimit: limits.marketingPerDay,
                sentLast24Hours: try store.sentCount(RateQuery(since: dayAgo, sender: marketing)))
        ]
        for person in configuration.salespeople {
            let address = person.email.description
            var notes: [String] = []
            if person.dailyLimit == nil { notes.append("default") }
            if person.isAway { notes.append("away") }
            senders.append(
                Report.Sender(
                    name: person.id, address: address, dailyLimit: limits.dailyLimit(for: person),
                    sentLast24Hours: try store.sentCount(RateQuery(since: dayAgo, sender: address)),
                    note: notes.isEmpty ? nil : notes.joined(separator: ", ")))
        }
        return Report(
            now: now, counts: try store.stateCounts(), nextDue: try store.earliestWaiting(),
            sentLastHour: try store.sentCount(RateQuery(since: ScheduleTime.date(now, plus: .seconds(-3_600)))),
            sentLast24Hours: try store.sentCount(RateQuery(since: dayAgo)),
            globalPerMinute: configuration.scheduling.rateLimits.globalPerMinute,
            perDomainPerHour: configuration.scheduling.rateLimits.perDomainPerHour,
            salespersonDefault: limits.salespersonPerDay, senders: senders, leads: try store.leadCount(),
            pauses: try store.relayPauses())
    }

    /// The report for people.
    static func text(_ report: Report) -> String {
        var lines = ["Queue by state:"]
        for state in SendState.allCases {
            let name = state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            lines.append("  \(name) \(report.counts[state] ?? 0)")
        }
        if let next = report.nextDue {
            lines.append("Next due: \(ScheduleTime.describe(next)) (\(relative(next, now: report.now)))")
        } else {
            lines.append("Next due: nothing waiting")
        }
        lines.append("Sent: \(report.sentLastHour) in the last hour, \(report.sentLast24Hours) in the last 24 hours")
        lines.append("Limits:")
        lines.append("  global: \(report.globalPerMinute.map { "\($0) per minute" } ?? "no limit")")
        lines.append("  per recipient domain: \(report.perDomainPerHour.map { "\($0) per hour" } ?? "no limit")")
        lines.append("  salesperson daily default: \(report.salespersonDefault)")
        for sender in report.senders {
            let limit = sender.dailyLimit.map { "\($0) per day" } ?? "no daily limit"
            let note = sender.note.map { " (\($0))" } ?? ""
            lines.append(
                "  \(sender.name) <\(sender.address)>: \(limit)\(note); \(sender.sentLast24Hours) sent in the last 24 h"
            )
        }
        if report.pauses.isEmpty {
            lines.append("Relays: none paused")
        } else {
            lines.append("Relays paused (sends through them wait; leads stay mailable):")
            for pause in report.pauses {
                let since = ScheduleTime.describe(pause.since)
                let until = "\(ScheduleTime.describe(pause.until)) (\(relative(pause.until, now: report.now)))"
                lines.append(
                    "  \(pause.relay): \(pause.cause); since \(since), \(pause.refusals) refusal(s) in a row;"
                        + " next probe \(until)")
            }
        }
        lines.append("Leads: \(report.leads)")
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object with sorted keys; absent limits are `null`.
    static func json(_ report: Report) -> String {
        func value(_ optional: (any Sendable)?) -> Any { optional.map { $0 as Any } ?? NSNull() }
        var states: [String: Any] = [:]
        for state in SendState.allCases { states[state.rawValue] = report.counts[state] ?? 0 }
        let senders: [[String: Any]] = report.senders.map { sender in
            [
                "name": sender.name, "address": sender.address, "daily_limit": value(sender.dailyLimit),
                "sent_last_24h": sender.sentLast24Hours, "note": value(sender.note),
            ]
        }
        let object: [String: Any] = [
            "now": ScheduleTime.describe(report.now),
            "states": states,
            "next_due": value(report.nextDue.map { ScheduleTime.describe($0) }),
            "sent_last_hour": report.sentLastHour,
            "sent_last_24h": report.sentLast24Hours,
            "limits": [
                "global_per_minute": value(report.globalPerMinute),
                "per_domain_per_hour": value(report.perDomainPerHour),
                "salesperson_daily_default": report.salespersonDefault,
            ] as [String: Any],
            "senders": senders,
            "leads": report.leads,
            "relay_pauses": report.pauses.map { pause -> [String: Any] in
                [
                    "relay": pause.relay, "cause": pause.cause, "since": ScheduleTime.describe(pause.since),
                    "until": ScheduleTime.describe(pause.until), "refusals": pause.refusals,
                ]
            },
        ]
        return LogCommand.jsonText(object)
    }

    /// `in 3m`, `3m ago` or `now`: a moment relative to `now`, to the second.
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now).rounded()
        if abs(seconds) < 1 { return "now" }
        let text = ScheduleTime.describe(Duration.seconds(Int64(abs(seconds))))
        return seconds > 0 ? "in \(text)" : "\(text) ago"
    }
}
