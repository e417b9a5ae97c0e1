package import Foundation

/// What ``SendGate`` decided about a claimed send; the scheduler carries it out.
package enum SendVerdict: Sendable {
    /// Send it, with what was resolved for it.
    case send(ResolvedSend)
    /// Back to waiting until `until`.
    case hold(until: Date, HoldReason)
    /// Recorded `skipped`; the step after it is planned.
    case skip(SkipReason)
    /// Recorded `cancelled`; ``CancelReason/endsEnrollment`` says whether the enrollment ends with it.
    case cancel(CancelReason)
}
