package import Foundation
package import NurtureConfig
package import NurtureCore

/// What `nurture status` reports, read from the store at one instant: the queue by state, the next due send,
/// recent sending, the limits in force with each sender's use of its daily limit, paused relays, and the number
/// of leads.
package struct StatusReport: Sendable {
    /// One sender mailbox and its use of its daily limit.
    package struct Sender: Sendable {
        package var name: String
        package var address: String
        package var dailyLimit: Int?
        package var sentLast24Hours: Int
        package var note: String?
    }

    package var now: Date
    package var counts: [SendState: Int]
    package var nextDue: Date?
    package var sentLastHour: Int
    package var sentLast24Hours: Int
    package var globalPerMinute: Int?
    package var perDomainPerHour: Int?
    package var salespersonDefault: Int
    package var senders: [Sender]
    package var leads: Int
    /// Relays paused after a relay-level refusal (the sender, the login, policy, TLS settings).
    package var pauses: [RelayPause] = []
    /// The watched mailboxes, configured ones first in configuration order, then any the store still has a cursor
    /// for.
    package var mailboxes: [Mailbox] = []
    /// The store, as messages name it: the SQLite file's path, or the PostgreSQL database without its password.
    package var store: String?
    /// The daemons sharing a PostgreSQL store that heartbeated within ``daemonWindow``; `nil` for a SQLite store.
    package var daemons: [DaemonRecord]?

    /// How far back `status` lists daemons: one that stopped or died longer ago is left out.
    package static let daemonWindow: Duration = .seconds(3_600)

    /// One watched mailbox: its cursor and health as the daemon last saved them.
    package struct Mailbox: Sendable, Hashable {
        package var name: String
        /// The salesperson whose mailbox it is; `nil` for the marketing reply/bounce mailbox.
        package var owner: String?
        /// Whether the configuration still names it.
        package var configured: Bool
        /// The stored cursor; `nil` before the first poll.
        package var cursor: MailboxCursor?

        package init(name: String, owner: String? = nil, configured: Bool, cursor: MailboxCursor?) {
            self.name = name
            self.owner = owner
            self.configured = configured
            self.cursor = cursor
        }

        /// Whether its last poll failed.
        package var isFailing: Bool { cursor?.lastError != nil }

        /// Configured mailboxes (name, owner) with their stored cursors, then the stored cursors of mailboxes no
        /// longer configured.
        package static func merge(configured: [(name: String, owner: String?)], cursors: [MailboxCursor]) -> [Mailbox] {
            var result = configured.map { entry in
                Mailbox(
                    name: entry.name, owner: entry.owner, configured: true,
                    cursor: cursors.first { $0.mailbox == entry.name })
            }
            for cursor in cursors where !configured.contains(where: { $0.name == cursor.mailbox }) {
                result.append(Mailbox(name: cursor.mailbox, configured: false, cursor: cursor))
            }
            return result
        }
    }

    /// Reads every figure `status` shows.
    package static func read(
        configuration: NurtureConfiguration, store: any SendStore, now: Date
    ) async throws(StoreError) -> StatusReport {
        let dayAgo = ScheduleTime.date(now, plus: .seconds(-86_400))
        let limits = configuration.defaults.limits
        let marketing = configuration.marketingSender.address.description
        var senders = [
            Sender(
                name: "marketing", address: marketing, dailyLimit: limits.marketingPerDay,
                sentLast24Hours: try await store.sentCount(RateQuery(since: dayAgo, sender: marketing)))
        ]
        for person in configuration.salespeople {
            let address = person.email.description
            var notes: [String] = []
            if person.dailyLimit == nil { notes.append("default") }
            if person.isAway { notes.append("away") }
            senders.append(
                Sender(
                    name: person.id, address: address, dailyLimit: limits.dailyLimit(for: person),
                    sentLast24Hours: try await store.sentCount(RateQuery(since: dayAgo, sender: address)),
                    note: notes.isEmpty ? nil : notes.joined(separator: ", ")))
        }
        var daemons: [DaemonRecord]?
        if let cluster = store as? any ClusterStore {
            daemons = try await cluster.daemons(since: ScheduleTime.date(now, plus: .zero - daemonWindow))
        }
        var report = StatusReport(
            now: now, counts: try await store.stateCounts(), nextDue: try await store.earliestWaiting(),
            sentLastHour: try await store.sentCount(RateQuery(since: ScheduleTime.date(now, plus: .seconds(-3_600)))),
            sentLast24Hours: try await store.sentCount(RateQuery(since: dayAgo)),
            globalPerMinute: configuration.scheduling.rateLimits.globalPerMinute,
            perDomainPerHour: configuration.scheduling.rateLimits.perDomainPerHour,
            salespersonDefault: limits.salespersonPerDay, senders: senders, leads: try await store.leadCount(),
            pauses: try await store.relayPauses(),
            mailboxes: try await mailboxes(configuration: configuration, store: store))
        report.daemons = daemons
        return report
    }

    /// The configured mailboxes with their cursors (and the cursors of mailboxes no longer configured); none when
    /// no mailbox is configured.
    package static func mailboxes(
        configuration: NurtureConfiguration, store: any SendStore
    ) async throws(StoreError) -> [Mailbox] {
        let configured = configuration.inbound.mailboxes.map { (name: $0.name, owner: $0.owner) }
        // A daemon that watches no mailbox has no cursors worth showing: the store is not asked.
        let cursors = configured.isEmpty ? [] : try await store.mailboxCursors()
        return Mailbox.merge(configured: configured, cursors: cursors)
    }

    /// `in 3m`, `3m ago` or `now`: a moment relative to `now`, to the second.
    package static func relative(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now).rounded()
        if abs(seconds) < 1 { return "now" }
        let text = ScheduleTime.describe(Duration.seconds(Int64(abs(seconds))))
        return seconds > 0 ? "in \(text)" : "\(text) ago"
    }
}
