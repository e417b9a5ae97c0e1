import ArgumentParser
import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureSQLite

/// `nurture status`: the queue by state, the next due send, recent sending and the limits in force.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue by state, the next due send, recent sends and the limits in force.",
        discussion: """
            Reads the store (the daemon need not run): how many sends are in each state, when the earliest \
            waiting send is due, how many were accepted in the last hour and the last 24 hours, the rate limits \
            from the configuration with each sender's use of its daily limit, the relays the daemon paused after \
            a relay-level refusal (with the cause and when the next probe goes), the watched mailboxes (cursor, \
            last check, last error), and the number of leads. \
            With --json, the same as one JSON object.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Flag(help: "One JSON object instead of text.")
    var json = false

    func run() async throws {
        let report = try await StoreLocation.withStore(
            config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
        ) { configuration, opened in
            do {
                var report = try await StatusReport.read(configuration: configuration, store: opened.store, now: Date())
                report.store = opened.name
                return report
            } catch {
                printError("cannot read the store \(opened.name): \(error)")
                throw ExitCode.failure
            }
        }
        print(json ? Self.json(report) : Self.text(report))
    }

    /// The report for people.
    static func text(_ report: StatusReport) -> String {
        var lines = ["Queue by state:"]
        for state in SendState.allCases {
            let name = state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            lines.append("  \(name) \(report.counts[state] ?? 0)")
        }
        if let next = report.nextDue {
            lines.append("Next due: \(ScheduleTime.describe(next)) (\(StatusReport.relative(next, now: report.now)))")
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
                let until =
                    "\(ScheduleTime.describe(pause.until)) (\(StatusReport.relative(pause.until, now: report.now)))"
                lines.append(
                    "  \(pause.relay): \(pause.cause); since \(since), \(pause.refusals) refusal(s) in a row;"
                        + " next probe \(until)")
            }
        }
        lines += InboundCommand.mailboxLines(report.mailboxes, now: report.now)
        if let store = report.store { lines.append("Store: \(store)") }
        if let daemons = report.daemons { lines += daemonLines(daemons, now: report.now) }
        lines.append("Leads: \(report.leads)")
        return lines.joined(separator: "\n")
    }

    /// The cluster section (PostgreSQL): each daemon seen within the last hour, e.g.
    /// `  mail1-812-0a1b2c3d  host mail1, pid 812: heartbeat 4s ago, 3 leases, leader`.
    static func daemonLines(_ daemons: [DaemonRecord], now: Date) -> [String] {
        let window = ScheduleTime.describe(StatusReport.daemonWindow)
        guard !daemons.isEmpty else { return ["Daemons: none in the last \(window)"] }
        var lines = ["Daemons (heartbeat in the last \(window)):"]
        for daemon in daemons {
            let leases = daemon.leasesHeld == 1 ? "1 lease" : "\(daemon.leasesHeld) leases"
            var facts = ["heartbeat \(StatusReport.relative(daemon.heartbeatAt, now: now))", leases]
            if daemon.isLeader { facts.append("leader") }
            if let stopped = daemon.stoppedAt { facts.append("stopped \(StatusReport.relative(stopped, now: now))") }
            lines.append(
                "  \(daemon.instance.id)  host \(daemon.instance.host), pid \(daemon.instance.pid): "
                    + facts.joined(separator: ", "))
        }
        return lines
    }

    /// The report as one JSON object with sorted keys; absent limits are `null`.
    static func json(_ report: StatusReport) -> String {
        func value(_ optional: (any Sendable)?) -> Any { optional.map { $0 as Any } ?? NSNull() }
        var states: [String: Any] = [:]
        for state in SendState.allCases { states[state.rawValue] = report.counts[state] ?? 0 }
        let senders: [[String: Any]] = report.senders.map { sender in
            [
                "name": sender.name, "address": sender.address, "daily_limit": value(sender.dailyLimit),
                "sent_last_24h": sender.sentLast24Hours, "note": value(sender.note),
            ]
        }
        var object: [String: Any] = [
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
            "mailboxes": report.mailboxes.map(InboundCommand.mailboxJSON),
            "relay_pauses": report.pauses.map { pause -> [String: Any] in
                [
                    "relay": pause.relay, "cause": pause.cause, "since": ScheduleTime.describe(pause.since),
                    "until": ScheduleTime.describe(pause.until), "refusals": pause.refusals,
                ]
            },
        ]
        if let store = report.store { object["store"] = store }
        if let daemons = report.daemons {
            object["daemons"] = daemons.map { daemon -> [String: Any] in
                [
                    "id": daemon.instance.id, "host": daemon.instance.host, "pid": Int(daemon.instance.pid),
                    "started_at": ScheduleTime.describe(daemon.instance.startedAt),
                    "heartbeat_at": ScheduleTime.describe(daemon.heartbeatAt), "leases_held": daemon.leasesHeld,
                    "leader": daemon.isLeader, "stopped_at": value(daemon.stoppedAt.map { ScheduleTime.describe($0) }),
                ]
            }
        }
        return LogCommand.jsonText(object)
    }
}
