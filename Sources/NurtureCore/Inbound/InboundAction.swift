/// What an incoming message did to its lead, as a stable label (`nurture_inbound_actions_total{action}`).
package enum InboundAction: String, Sendable, Hashable, CaseIterable {
    /// Suppressed as bounced (a hard bounce, or soft bounces over the limit).
    case bounced
    /// Unsubscribed (an opt-out or a complaint).
    case unsubscribed
    /// The enrollment ended because the lead replied.
    case replied
    /// The enrollment paused (out-of-office).
    case paused
    /// Nothing changed (unrelated, not attributed, a soft bounce under the limit, already processed).
    case none

    /// The label of `decision`: the strongest of its events, else the pause, else none.
    package init(_ decision: InboundDecision) {
        if decision.events.contains(.bounced) {
            self = .bounced
        } else if decision.events.contains(.unsubscribed) {
            self = .unsubscribed
        } else if decision.events.contains(.replied) {
            self = .replied
        } else if decision.pauseUntil != nil {
            self = .paused
        } else {
            self = .none
        }
    }
}
