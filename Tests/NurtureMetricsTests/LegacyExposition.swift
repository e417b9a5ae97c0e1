/// What `/metrics` showed before it was rendered by swift-metrics and swift-prometheus, for the events
/// ``ExpositionCompatibilityTests`` records: produced by the hand-written renderer this project used until then,
/// kept as a vector so the families, types, HELP text, label names and values can be compared.
enum LegacyExposition {
    static let text = """
        # HELP nurture_sends_total Send-log lines recorded since start, by outcome state and track.
        # TYPE nurture_sends_total counter
        nurture_sends_total{state="deferred",track="sales"} 1
        nurture_sends_total{state="held",track="sales"} 1
        nurture_sends_total{state="held",track="unknown"} 1
        nurture_sends_total{state="sent",track="marketing"} 2
        # HELP nurture_queue_sends Ledger rows by state (planned, held, deferred, in-flight, ...).
        # TYPE nurture_queue_sends gauge
        nurture_queue_sends{state="planned"} 3
        nurture_queue_sends{state="in-flight"} 0
        nurture_queue_sends{state="sent"} 0
        nurture_queue_sends{state="deferred"} 0
        nurture_queue_sends{state="failed"} 0
        nurture_queue_sends{state="unknown"} 0
        nurture_queue_sends{state="held"} 1
        nurture_queue_sends{state="skipped"} 0
        nurture_queue_sends{state="cancelled"} 0
        # HELP nurture_delivery_seconds Time from handing a message to the relay until its outcome was known, by outcome and track.
        # TYPE nurture_delivery_seconds histogram
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.005"} 0
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.01"} 0
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.025"} 1
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.05"} 1
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.1"} 1
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.25"} 1
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="0.5"} 1
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="1"} 1
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="2.5"} 2
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="5"} 2
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="10"} 2
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="30"} 2
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="60"} 2
        nurture_delivery_seconds_bucket{outcome="accepted",track="marketing",le="+Inf"} 2
        nurture_delivery_seconds_sum{outcome="accepted",track="marketing"} 1.52
        nurture_delivery_seconds_count{outcome="accepted",track="marketing"} 2
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.005"} 0
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.01"} 0
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.025"} 0
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.05"} 0
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.1"} 0
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.25"} 0
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="0.5"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="1"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="2.5"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="5"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="10"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="30"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="60"} 1
        nurture_delivery_seconds_bucket{outcome="failed",track="sales",le="+Inf"} 1
        nurture_delivery_seconds_sum{outcome="failed",track="sales"} 0.3
        nurture_delivery_seconds_count{outcome="failed",track="sales"} 1
        # HELP nurture_holds_total Holds logged since start, by category (rate_limit, window, ...).
        # TYPE nurture_holds_total counter
        nurture_holds_total{category="rate_limit"} 1
        nurture_holds_total{category="window"} 1
        nurture_holds_total{category="catch_up"} 0
        nurture_holds_total{category="other"} 0
        # HELP nurture_reloads_total Configuration reloads attempted since start.
        # TYPE nurture_reloads_total counter
        nurture_reloads_total 1
        # HELP nurture_reload_failures_total Reloads rejected since start.
        # TYPE nurture_reload_failures_total counter
        nurture_reload_failures_total 1
        # HELP nurture_last_reload_success 1 if the last reload was accepted (or none was tried).
        # TYPE nurture_last_reload_success gauge
        nurture_last_reload_success 0
        # HELP nurture_last_reload_timestamp_seconds When the last reload was tried.
        # TYPE nurture_last_reload_timestamp_seconds gauge
        nurture_last_reload_timestamp_seconds 1748941260
        # HELP nurture_http_requests_total HTTP requests since start, by route and status class.
        # TYPE nurture_http_requests_total counter
        nurture_http_requests_total{route="intake",status="2xx"} 1
        nurture_http_requests_total{route="metrics",status="2xx"} 1
        # HELP nurture_relay_up 1 if the relay answered the last transfer, 0 if not or while a relay is paused, NaN before any.
        # TYPE nurture_relay_up gauge
        nurture_relay_up 0
        # HELP nurture_relay_paused 1 while sends through the relay are paused after a relay-level refusal.
        # TYPE nurture_relay_paused gauge
        nurture_relay_paused{relay="127.0.0.1:2525"} 1
        # HELP nurture_start_time_seconds When the daemon started.
        # TYPE nurture_start_time_seconds gauge
        nurture_start_time_seconds 1748941200
        """
}
