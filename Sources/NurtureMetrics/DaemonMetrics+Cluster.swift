import CoreMetrics

extension DaemonMetrics {
    /// Notes this daemon's standing on a shared store after a round of the cluster loop:
    /// `nurture_daemon_info{instance,host,leader}` is 1 for the current `leader` value and 0 for the other, and
    /// `nurture_leases_held` the sends it holds in flight. The daemon's other series carry no instance label: each
    /// daemon is its own scrape target, and Prometheus adds the target's `instance`; this gauge names the daemon's
    /// store instance (host, pid, start) for joins.
    package func clusterObserved(instance: String, host: String, isLeader: Bool, leasesHeld: Int) {
        for leader in [true, false] {
            CoreMetrics.Gauge(
                label: MetricFamily.daemonInfo.name,
                dimensions: [("instance", instance), ("host", host), ("leader", leader ? "true" : "false")],
                factory: factory
            ).record(leader == isLeader ? 1 : 0)
        }
        CoreMetrics.Gauge(label: MetricFamily.leasesHeld.name, factory: factory).record(leasesHeld)
    }
}
