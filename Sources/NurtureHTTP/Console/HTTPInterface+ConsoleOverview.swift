import Foundation
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureMetrics

/// `GET /console`: the queue by state, attempts per hour for 7 days, the limits in force and how close each is,
/// relay pauses, mailbox health, when the daemon started and last reloaded, and the daemons sharing a PostgreSQL
/// store.
extension HTTPInterface {
    private static let overviewTemplate = ConsoleHTML.template(
        """
        <h1>Overview</h1>
        <p>Running since {{started}}; configuration {{config}}; {{leads}} leads.</p>
        <p id="last-reload">Last reload: {{reload}}</p>
        <h2>Queue</h2>
        <table id="queue"><thead><tr><th>State</th><th>Sends</th></tr></thead><tbody>
        {{#queue}}<tr><td><a href="/console/sends?state={{state}}">{{state}}</a></td><td>{{count}}</td></tr>{{/queue}}
        </tbody></table>
        <p>Next due: {{nextDue}}</p>
        <h2>Attempts per hour, last 7 days</h2>
        {{{chart}}}
        <p class="legend">Counted {{chartCounted}}.</p>
        <p class="legend">{{#series}}<span class="{{cssClass}}">■ {{label}}</span>{{/series}}</p>
        <h2>Limits</h2>
        <table id="limits"><thead><tr><th>Limit</th><th>Used</th><th>Of</th><th>Use</th></tr></thead><tbody>
        {{#limits}}<tr><td>{{name}}</td><td>{{used}}</td><td>{{limit}}</td><td>{{percent}}</td></tr>{{/limits}}
        </tbody></table>
        <h2>Relays</h2>
        {{#pauses}}<p class="error">Relay {{relay}} paused until {{until}}: {{cause}}</p>{{/pauses}}
        {{^pauses}}<p>No relay is paused.</p>{{/pauses}}
        <h2>Mailboxes</h2>
        <table id="mailboxes"><thead><tr><th>Mailbox</th><th>Last checked</th><th>Health</th></tr></thead><tbody>
        {{#mailboxes}}<tr><td>{{name}}</td><td>{{checked}}</td><td>{{health}}</td></tr>{{/mailboxes}}
        </tbody></table>
        {{#hasDaemons}}<h2>Daemons</h2>
        <table id="daemons"><thead><tr><th>Daemon</th><th>Host</th><th>Last heartbeat</th></tr></thead><tbody>
        {{#daemons}}<tr><td>{{id}}</td><td>{{host}}</td><td>{{heartbeat}}</td></tr>{{/daemons}}
        </tbody></table>{{/hasDaemons}}
        """)

    /// The overview's status figures and chart counts, as the console keeps them.
    func overviewFigures(
        _ console: ConsoleRuntime, _ configuration: NurtureConfiguration, at: Date
    ) async throws -> (StatusReport, [HourlyCount]) {
        let store = store
        return (
            try await console.status.value(now: at) {
                try await StatusReport.read(configuration: configuration, store: store, now: at)
            },
            try await console.chart.value(now: at) {
                try await console.queries.hourlyAttempts(
                    since: at.addingTimeInterval(-7 * 86_400),
                    marketingSender: configuration.marketingSender.address.description)
            }
        )
    }

    /// Reads the overview's figures once so that the first overview does not wait for them (the daemon calls it
    /// when the listener is up); a failure is left for the first overview to meet and report.
    package func warmConsole() async {
        guard let console else { return }
        _ = try? await overviewFigures(console, configuration(), at: now())
    }

    func overview(_ request: Request, _ session: ConsoleSession, _ console: ConsoleRuntime) async throws -> Response {
        let configuration = configuration()
        let at = now()
        let (report, hourly) = try await withStore { try await overviewFigures(console, configuration, at: at) }
        var limits: [[String: Any]] = report.senders.map { sender in
            [
                "name": "\(sender.name) <\(sender.address)> per day", "used": sender.sentLast24Hours,
                "limit": sender.dailyLimit.map(String.init) ?? "none",
                "percent": sender.dailyLimit.map { $0 > 0 ? "\(sender.sentLast24Hours * 100 / $0)%" : "-" } ?? "-",
            ]
        }
        if let perMinute = report.globalPerMinute {
            limits.append(["name": "all mail per minute", "used": "-", "limit": perMinute, "percent": "-"])
        }
        if let perHour = report.perDomainPerHour {
            limits.append(["name": "per recipient domain per hour", "used": "-", "limit": perHour, "percent": "-"])
        }
        var context: [String: Any] = [
            "started": ConsoleLayout.utc(startedAt), "config": configuration.file, "leads": report.leads,
            "reload": Self.reloadText(metrics.lastReload),
            "queue": SendState.allCases.map {
                ["state": $0.rawValue, "count": report.counts[$0] ?? 0] as [String: Any]
            },
            "nextDue": report.nextDue.map(ConsoleLayout.utc) ?? "nothing waits",
            "chart": ConsoleChart.svg(hourly, now: at),
            "chartCounted": console.chart.keptAt.map(ConsoleLayout.utc) ?? "now",
            "series": ConsoleChart.series.map { ["cssClass": $0.cssClass, "label": $0.label] },
            "limits": limits,
            "pauses": report.pauses.map {
                ["relay": $0.relay, "until": ConsoleLayout.utc($0.until), "cause": $0.cause]
            },
            "mailboxes": report.mailboxes.map { mailbox in
                [
                    "name": mailbox.name, "checked": mailbox.cursor?.checkedAt.map(ConsoleLayout.utc) ?? "never",
                    "health": mailbox.cursor?.lastError.map { "failing: \($0)" } ?? "ok",
                ]
            },
        ]
        if let daemons = report.daemons {
            context["hasDaemons"] = true
            context["daemons"] = daemons.map { daemon in
                [
                    "id": daemon.instance.id + (daemon.isLeader ? " (leader)" : ""), "host": daemon.instance.host,
                    "heartbeat": ConsoleLayout.utc(daemon.heartbeatAt),
                ]
            }
        }
        let body = Self.overviewTemplate.render(context)
        return pageResponse(
            ConsoleLayout.page(frame("Overview", request, session, console), body: body), request, console)
    }

    /// The overview's line about the last reload (SIGHUP, `systemctl reload`).
    static func reloadText(_ reload: DaemonMetrics.LastReload?) -> String {
        guard let reload else { return "none since the daemon started" }
        let at = ConsoleLayout.utc(reload.at)
        return reload.succeeded
            ? "\(at), accepted"
            : "\(at), refused: the daemon runs on the configuration it had (the log says why)"
    }
}
