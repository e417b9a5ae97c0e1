import CoreMetrics
package import NurtureCore

extension DaemonMetrics {
    /// Counts one newly processed incoming message by mailbox and kind, and what it did (`none` is not counted
    /// as an action).
    package func inboundProcessed(_ mailbox: String, kind: InboundKind, action: InboundAction) {
        CoreMetrics.Counter(
            label: MetricFamily.inboundMessages.name, dimensions: [("mailbox", mailbox), ("kind", kind.rawValue)],
            factory: factory
        ).increment()
        guard action != .none else { return }
        CoreMetrics.Counter(
            label: MetricFamily.inboundActions.name, dimensions: [("action", action.rawValue)], factory: factory
        )
        .increment()
    }

    /// Notes how a mailbox's last poll went: `nurture_mailbox_up` 1 or 0, and one more poll failure when it failed.
    package func mailboxPolled(_ mailbox: String, up: Bool) {
        CoreMetrics.Gauge(label: MetricFamily.mailboxUp.name, dimensions: [("mailbox", mailbox)], factory: factory)
            .record(up ? 1 : 0)
        let failures = CoreMetrics.Counter(
            label: MetricFamily.mailboxPollFailures.name, dimensions: [("mailbox", mailbox)], factory: factory)
        if up { failures.increment(by: 0) } else { failures.increment() }
    }
}
