public import Foundation
public import NurtureCore

/// Writes ``DaemonMetrics`` and the store's queue depth in the Prometheus text exposition format (0.0.4). Pure.
public enum PrometheusText {
    /// The `Content-Type` of the output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The whole exposition; `queue` is the ledger's row count by state, `nil` when the store could not be read.
    /// - Parameter pauses: the relays paused now (`nurture_relay_paused`; `nurture_relay_up` is 0 while any is).
    public static func render(
        _ metrics: DaemonMetrics.Snapshot, queue: [SendState: Int]?, startedAt: Date, pauses: [RelayPause] = []
    ) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)], _ value: String) {
            let text = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
            out += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(text)} \(value)\n"
        }

        family("nurture_sends_total", "counter", "Send-log lines recorded since start, by outcome state and track.")
        for (key, count) in metrics.sends.sorted(by: { $0.key < $1.key }) {
            sample("nurture_sends_total", [("state", key.first), ("track", key.second)], "\(count)")
        }
        family("nurture_queue_sends", "gauge", "Ledger rows by state (planned, held, deferred, in-flight, ...).")
        for state in SendState.allCases {
            sample("nurture_queue_sends", [("state", state.rawValue)], queue.map { "\($0[state] ?? 0)" } ?? "NaN")
        }
        family(
            "nurture_delivery_seconds", "histogram",
            "Time from handing a message to the relay until its outcome was known, by outcome and track.")
        for (key, histogram) in metrics.latency.sorted(by: { $0.key < $1.key }) {
            let labels = [("outcome", key.first), ("track", key.second)]
            for (index, bound) in DaemonMetrics.latencyBuckets.enumerated() {
                sample(
                    "nurture_delivery_seconds_bucket", labels + [("le", number(bound))], "\(histogram.buckets[index])")
            }
            sample("nurture_delivery_seconds_bucket", labels + [("le", "+Inf")], "\(histogram.count)")
            sample("nurture_delivery_seconds_sum", labels, number(histogram.sum))
            sample("nurture_delivery_seconds_count", labels, "\(histogram.count)")
        }
        family("nurture_holds_total", "counter", "Holds logged since start, by category (rate_limit, window, ...).")
        for category in ["rate_limit", "window", "catch_up", "other"] {
            sample("nurture_holds_total", [("category", category)], "\(metrics.holds[category] ?? 0)")
        }
        family("nurture_reloads_total", "counter", "Configuration reloads attempted since start.")
        sample("nurture_reloads_total", [], "\(metrics.reloads)")
        family("nurture_reload_failures_total", "counter", "Reloads rejected since start.")
        sample("nurture_reload_failures_total", [], "\(metrics.reloadFailures)")
        family("nurture_last_reload_success", "gauge", "1 if the last reload was accepted (or none was tried).")
        sample("nurture_last_reload_success", [], metrics.lastReloadSucceeded ? "1" : "0")
        if let at = metrics.lastReloadAt {
            family("nurture_last_reload_timestamp_seconds", "gauge", "When the last reload was tried.")
            sample("nurture_last_reload_timestamp_seconds", [], number(at.timeIntervalSince1970))
        }
        family("nurture_http_requests_total", "counter", "HTTP requests since start, by route and status class.")
        for (key, count) in metrics.requests.sorted(by: { $0.key < $1.key }) {
            sample("nurture_http_requests_total", [("route", key.first), ("status", key.second)], "\(count)")
        }
        family(
            "nurture_relay_up", "gauge",
            "1 if the relay answered the last transfer, 0 if not or while a relay is paused, NaN before any.")
        sample(
            "nurture_relay_up", [], pauses.isEmpty ? metrics.relayAnswered.map { $0 ? "1" : "0" } ?? "NaN" : "0")
        family(
            "nurture_relay_paused", "gauge", "1 while sends through the relay are paused after a relay-level refusal.")
        for pause in pauses { sample("nurture_relay_paused", [("relay", pause.relay)], "1") }
        family("nurture_start_time_seconds", "gauge", "When the daemon started.")
        sample("nurture_start_time_seconds", [], number(startedAt.timeIntervalSince1970))
        return out
    }

    /// Label values escape backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Shortest exact-enough decimal: `0.005`, `1`, `2.5`.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
