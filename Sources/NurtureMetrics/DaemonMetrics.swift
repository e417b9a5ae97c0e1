import CoreMetrics
package import Foundation
package import NurtureCore
package import NurtureSMTP
package import Prometheus
import Synchronization

/// The daemon's counters, fed from scheduler events, reloads and HTTP requests, kept as swift-metrics
/// metrics in a swift-prometheus registry; `/metrics` emits them (``PrometheusText``) and `/healthz` reads
/// the relay's last answer.
///
/// Counters count since the daemon started (Prometheus `rate()` handles restarts); queue depth is read from
/// the store at scrape time, so it survives restarts and includes changes made by other processes.
/// The per-send series (sends by state and track, holds by category, latency by outcome and track) are made
/// once, at zero, so recording a send is a dictionary lookup and an atomic add (a histogram takes its own
/// short lock), with no string built.
package final class DaemonMetrics: Sendable {
    /// Upper bounds (seconds) of the delivery latency histogram buckets.
    package static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// The relay as last seen: whether it answered, and when (for `/healthz` and `nurture_relay_up`).
    package struct RelayStatus: Sendable {
        /// The relay of the last transfer (`host:port`).
        package var relay: String?
        /// Whether it answered the last transfer; `nil` before any.
        package var relayAnswered: Bool?
        /// When the last transfer finished.
        package var relayLastSeen: Date?
    }

    /// The last reload (SIGHUP): when, and whether its configuration and templates were accepted.
    package struct LastReload: Sendable, Equatable {
        package var at: Date
        package var succeeded: Bool
    }

    /// The registry the metrics are kept in.
    package let registry: PrometheusCollectorRegistry
    let factory: FamilyMetricsFactory

    private struct SendKey: Hashable {
        var state: SendState
        var track: Track?
    }

    private struct LatencyKey: Hashable {
        var outcome: DeliveryOutcome.Kind
        var track: Track
    }

    private let sends: [SendKey: CoreMetrics.Counter]
    private let latency: [LatencyKey: Recorder]
    private let holds: [String: CoreMetrics.Counter]
    private let reloads: CoreMetrics.Counter
    private let reloadFailures: CoreMetrics.Counter
    private let lastReloadSuccess: CoreMetrics.Gauge
    private let relay = Mutex(RelayStatus())
    private let reload = Mutex<LastReload?>(nil)

    /// The hold categories `nurture_holds_total` counts (see ``holdCategory(_:)``).
    package static let holdCategories = ["rate_limit", "window", "catch_up", "other"]

    /// Makes the counters, at zero, in `registry` (each daemon, and each test, passes its own).
    package init(registry: PrometheusCollectorRegistry) {
        let factory = FamilyMetricsFactory(registry: registry)
        self.registry = registry
        self.factory = factory
        var sends: [SendKey: CoreMetrics.Counter] = [:]
        for state in SendState.allCases {
            for track in Track.allCases.map(Optional.some) + [nil] {
                sends[SendKey(state: state, track: track)] = CoreMetrics.Counter(
                    label: MetricFamily.sends.name,
                    dimensions: [("state", state.rawValue), ("track", track?.rawValue ?? "unknown")], factory: factory)
            }
        }
        self.sends = sends
        var latency: [LatencyKey: Recorder] = [:]
        for outcome in DeliveryOutcome.Kind.allCases {
            for track in Track.allCases {
                latency[LatencyKey(outcome: outcome, track: track)] = Recorder(
                    label: MetricFamily.deliverySeconds.name,
                    dimensions: [("outcome", outcome.rawValue), ("track", track.rawValue)], aggregate: true,
                    factory: factory)
            }
        }
        self.latency = latency
        holds = Dictionary(
            uniqueKeysWithValues: Self.holdCategories.map { category in
                (
                    category,
                    CoreMetrics.Counter(
                        label: MetricFamily.holds.name, dimensions: [("category", category)], factory: factory)
                )
            })
        reloads = CoreMetrics.Counter(label: MetricFamily.reloads.name, factory: factory)
        reloadFailures = CoreMetrics.Counter(label: MetricFamily.reloadFailures.name, factory: factory)
        lastReloadSuccess = CoreMetrics.Gauge(label: MetricFamily.lastReloadSuccess.name, factory: factory)
        lastReloadSuccess.record(1)
    }

    /// The relay as last seen.
    package var relayStatus: RelayStatus { relay.withLock { $0 } }

    /// The last reload since the daemon started; `nil` before the first.
    package var lastReload: LastReload? { reload.withLock { $0 } }

    /// Counts one send-log line (`track` from the configuration; `unknown` when the sequence is gone).
    package func recorded(_ entry: SendLogEntry, track: Track?) {
        sends[SendKey(state: entry.state, track: track)]?.increment()
        if entry.state == .held { holds[Self.holdCategory(entry.reasonKind)]?.increment() }
    }

    /// Counts one finished transfer and notes how the relay answered.
    package func transferred(
        outcome: DeliveryOutcome.Kind, track: Track, seconds: Double, relay: String, answered: Bool, at: Date
    ) {
        latency[LatencyKey(outcome: outcome, track: track)]?.record(seconds)
        self.relay.withLock { status in
            status.relay = relay
            status.relayAnswered = answered
            status.relayLastSeen = at
        }
    }

    /// Counts a reload and whether it was accepted.
    package func reloaded(succeeded: Bool, at: Date) {
        reloads.increment()
        if !succeeded { reloadFailures.increment() }
        lastReloadSuccess.record(succeeded ? 1 : 0)
        reload.withLock { $0 = LastReload(at: at, succeeded: succeeded) }
        CoreMetrics.Gauge(label: MetricFamily.lastReloadTimestamp.name, factory: factory)
            .record(at.timeIntervalSince1970)
    }

    /// Counts one HTTP request by route name and status.
    package func request(route: String, status: Int) {
        CoreMetrics.Counter(
            label: MetricFamily.httpRequests.name, dimensions: [("route", route), ("status", "\(status / 100)xx")],
            factory: factory
        ).increment()
    }

    /// The `/metrics` category of a hold by its reason's kind (`rate_limit`, `window`, `catch_up`, `other`);
    /// an unclassified hold (no kind) is `other`. Exhaustive: a new ``ReasonKind`` must be given a category.
    static func holdCategory(_ kind: ReasonKind?) -> String {
        guard let kind else { return "other" }
        switch kind {
        case .rateLimit, .leadGap: return "rate_limit"
        case .outsideWindow, .windowNeverOpens: return "window"
        case .catchUp: return "catch_up"
        case .noOwner, .unknownOwner, .relayPaused, .templateError, .storeError, .outOfOffice, .conditionNotMet,
            .tooLate, .leadGone, .enrollmentEnded, .sequenceRemoved, .stepRemoved, .unsubscribed, .bounced,
            .terminalStage, .suppressed, .invalidMessageID, .retrying, .gaveUp, .recipientBounced, .messageRefused,
            .outcomeUnknown:
            return "other"
        }
    }
}
