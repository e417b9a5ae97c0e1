import CoreMetrics
package import Foundation
package import NurtureCore
import Prometheus

/// `/metrics` in the Prometheus text exposition format (0.0.4): the recorded ``DaemonMetrics`` and the
/// figures read at scrape time (queue depth, relay up and paused, start time), both emitted by swift-prometheus.
package enum PrometheusText {
    /// The `Content-Type` of the output.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The whole exposition; `queue` is the ledger's row count by state, `nil` when the store could not be read
    /// (every `nurture_queue_sends` is then NaN).
    /// - Parameter pauses: the relays paused now (`nurture_relay_paused`; `nurture_relay_up` is 0 while any is).
    package static func render(
        _ metrics: DaemonMetrics, queue: [SendState: Int]?, startedAt: Date, pauses: [RelayPause] = []
    ) -> String {
        // The scrape-time gauges live in a registry of their own, made for this scrape: a relay no longer
        // paused simply is not in it, and nothing is left behind for the next scrape.
        let scrape = PrometheusCollectorRegistry()
        let factory = FamilyMetricsFactory(registry: scrape)
        for state in SendState.allCases {
            Gauge(label: MetricFamily.queueSends.name, dimensions: [("state", state.rawValue)], factory: factory)
                .record(queue.map { Double($0[state] ?? 0) } ?? .nan)
        }
        let answered = metrics.relayStatus.relayAnswered
        Gauge(label: MetricFamily.relayUp.name, factory: factory)
            .record(pauses.isEmpty ? answered.map { $0 ? 1.0 : 0.0 } ?? .nan : 0)
        for pause in pauses {
            Gauge(label: MetricFamily.relayPaused.name, dimensions: [("relay", pause.relay)], factory: factory)
                .record(1)
        }
        Gauge(label: MetricFamily.startTime.name, factory: factory).record(startedAt.timeIntervalSince1970)

        var bytes = metrics.registry.emitToBuffer()
        scrape.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
