package import CoreMetrics
package import Prometheus

/// A swift-metrics factory that keeps its metrics in one Prometheus registry, with the HELP text and the
/// histogram buckets of the ``MetricFamily`` a label names.
///
/// swift-prometheus's own `PrometheusMetricsFactory` registers every metric without HELP text (and the registry
/// refuses one name with two help texts), so `/metrics` would lose its `# HELP` lines; this factory is the same
/// mapping with the family's description. It is passed explicitly to every metric (no global
/// `MetricsSystem.bootstrap`), so each daemon, and each test, has its own registry.
package struct FamilyMetricsFactory: MetricsFactory {
    /// Where the metrics are kept and emitted from.
    package let registry: PrometheusCollectorRegistry

    /// A factory over `registry`.
    package init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// The name and HELP text of `label` (an unknown label gets no HELP line).
    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: MetricFamily.named(label)?.help ?? "")
    }

    /// The upper bounds of the histogram buckets: the daemon's one histogram, `nurture_delivery_seconds`, sets
    /// them for all.
    private var buckets: [Double] { DaemonMetrics.latencyBuckets }

    package func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    package func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    package func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(
            descriptor: descriptor(label), labels: dimensions, buckets: buckets.map { .seconds($0) })
    }

    package func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    package func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    package func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    package func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
