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
        return StatusReport(
            now: now, counts: try await store.stateCounts(), nextDue: try await store.earliestWaiting(),
            sentLastHour: try await store.sentCount(RateQuery(since: ScheduleTime.date(now, plus: .seconds(-3_600)))),
            sentLast24Hours: try await store.sentCount(RateQuery(since: dayAgo)),
            globalPerMinute: configuration.scheduling.rateLimits.globalPerMinute,
            perDomainPerHour: configuration.scheduling.rateLimits.perDomainPerHour,
            salespersonDefault: limits.salespersonPerDay, senders: senders, leads: try await store.leadCount(),
            pauses: try await store.relayPauses())
    }

    /// `in 3m`, `3m ago` or `now`: a moment relative to `now`, to the second.
    package static func relative(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now).rounded()
        if abs(seconds) < 1 { return "now" }
        let text = ScheduleTime.describe(Duration.seconds(Int64(abs(seconds))))
        return seconds > 0 ? "in \(text)" : "\(text) ago"
    }
}
