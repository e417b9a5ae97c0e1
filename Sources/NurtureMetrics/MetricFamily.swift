/// One family of `/metrics`: its name, Prometheus type and HELP text.
///
/// Names, label names, types and HELP text are the operator's interface (dashboards and alerts rely on them,
/// the README lists them): change them only on purpose. Every family the daemon exports is here, and
/// ``FamilyMetricsFactory`` gives the registry its HELP text and histogram buckets from this list.
package struct MetricFamily: Sendable, Hashable {
    /// The Prometheus metric type.
    package enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    /// The metric name, e.g. `nurture_sends_total`.
    package let name: String
    /// Counter, gauge or histogram.
    package let kind: Kind
    /// The `# HELP` text.
    package let help: String

    init(_ name: String, _ kind: Kind, _ help: String) {
        self.name = name
        self.kind = kind
        self.help = help
    }

    /// Send-log lines by `state` and `track` (recorded).
    package static let sends = MetricFamily(
        "nurture_sends_total", .counter, "Send-log lines recorded since start, by outcome state and track.")
    /// Ledger rows by `state` (read from the store at scrape time).
    package static let queueSends = MetricFamily(
        "nurture_queue_sends", .gauge, "Ledger rows by state (planned, held, deferred, in-flight, ...).")
    /// Transfer latency by `outcome` and `track` (recorded).
    package static let deliverySeconds = MetricFamily(
        "nurture_delivery_seconds", .histogram,
        "Time from handing a message to the relay until its outcome was known, by outcome and track.")
    /// Holds by `category` (recorded).
    package static let holds = MetricFamily(
        "nurture_holds_total", .counter, "Holds logged since start, by category (rate_limit, window, ...).")
    /// Reloads attempted (recorded).
    package static let reloads = MetricFamily(
        "nurture_reloads_total", .counter, "Configuration reloads attempted since start.")
    /// Reloads rejected (recorded).
    package static let reloadFailures = MetricFamily(
        "nurture_reload_failures_total", .counter, "Reloads rejected since start.")
    /// Whether the last reload was accepted (recorded).
    package static let lastReloadSuccess = MetricFamily(
        "nurture_last_reload_success", .gauge, "1 if the last reload was accepted (or none was tried).")
    /// When the last reload was tried (recorded; absent until the first reload).
    package static let lastReloadTimestamp = MetricFamily(
        "nurture_last_reload_timestamp_seconds", .gauge, "When the last reload was tried.")
    /// HTTP requests by `route` and `status` class (recorded).
    package static let httpRequests = MetricFamily(
        "nurture_http_requests_total", .counter, "HTTP requests since start, by route and status class.")
    /// Whether the relay answered the last transfer (scrape time).
    package static let relayUp = MetricFamily(
        "nurture_relay_up", .gauge,
        "1 if the relay answered the last transfer, 0 if not or while a relay is paused, NaN before any.")
    /// Paused relays by `relay` (scrape time).
    package static let relayPaused = MetricFamily(
        "nurture_relay_paused", .gauge, "1 while sends through the relay are paused after a relay-level refusal.")
    /// Incoming messages processed by `mailbox` and `kind` (recorded).
    package static let inboundMessages = MetricFamily(
        "nurture_inbound_messages_total", .counter,
        "Incoming messages processed since start, by mailbox and kind (reply, auto-reply, hard-bounce, ...).")
    /// What incoming messages did, by `action` (recorded).
    package static let inboundActions = MetricFamily(
        "nurture_inbound_actions_total", .counter,
        "Lead changes made by incoming messages since start, by action (replied, paused, bounced, unsubscribed).")
    /// Whether a watched mailbox's last poll succeeded, by `mailbox` (recorded).
    package static let mailboxUp = MetricFamily(
        "nurture_mailbox_up", .gauge, "1 if the watched mailbox's last poll succeeded, 0 if it failed.")
    /// Failed polls by `mailbox` (recorded).
    package static let mailboxPollFailures = MetricFamily(
        "nurture_mailbox_poll_failures_total", .counter, "Failed polls of a watched mailbox since start.")
    /// This daemon on a shared database, by `instance`, `host` and `leader` (recorded by the cluster loop).
    package static let daemonInfo = MetricFamily(
        "nurture_daemon_info", .gauge,
        "1 for this daemon's instance on a shared PostgreSQL store, with whether it holds the leader lease.")
    /// Sends this daemon holds in flight (recorded by the cluster loop).
    package static let leasesHeld = MetricFamily(
        "nurture_leases_held", .gauge, "Sends this daemon holds in flight under a lease on a shared store.")
    /// When the daemon started (scrape time).
    package static let startTime = MetricFamily("nurture_start_time_seconds", .gauge, "When the daemon started.")

    /// Every family the daemon exports from its start (see also ``inbound``).
    package static let all: [MetricFamily] = [
        sends, queueSends, deliverySeconds, holds, reloads, reloadFailures, lastReloadSuccess, lastReloadTimestamp,
        httpRequests, relayUp, relayPaused, startTime,
    ]

    /// The families of incoming mail: they appear once a watched mailbox is polled (not at zero, so a daemon that
    /// watches no mailbox exports none of them).
    package static let inbound: [MetricFamily] = [inboundMessages, inboundActions, mailboxUp, mailboxPollFailures]

    /// The families of several daemons on one database: they appear once the cluster loop ran (a daemon on a
    /// SQLite store exports none of them).
    package static let cluster: [MetricFamily] = [daemonInfo, leasesHeld]

    /// The family named `name`, if it is one of ours.
    static func named(_ name: String) -> MetricFamily? { byName[name] }

    private static let byName = Dictionary(uniqueKeysWithValues: (all + inbound + cluster).map { ($0.name, $0) })
}
