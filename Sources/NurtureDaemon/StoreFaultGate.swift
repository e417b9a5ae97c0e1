import Foundation
import NurtureCore
import Synchronization

/// The scheduler's view of a store that refuses work: one ``StoreBackoff`` shared by the loop, the planner and
/// the group commit, and the log lines it allows.
///
/// A storage fault (``StoreError/isFault``: a full disk, a read-only file system, a lock held too long) starts or
/// extends the backoff; a refused request (a constraint, an unreadable row) does not hold the loop back unless
/// the caller asks, since retrying it soon changes nothing and other work can go on. Both kinds are logged at
/// most once per 30 s with the cause and the number of lines left out.
final class StoreFaultGate: Sendable {
    private let faults: Mutex<StoreBackoff>
    /// Only its log-line limit is used: refused requests do not back off.
    private let refusals: Mutex<StoreBackoff>
    private let emit: @Sendable (Scheduler.Event) -> Void

    init(_ backoff: StoreBackoff = StoreBackoff(), emit: @escaping @Sendable (Scheduler.Event) -> Void) {
        self.faults = Mutex(backoff)
        self.refusals = Mutex(backoff)
        self.emit = emit
    }

    /// Reports `error`, raised while doing `what` (e.g. `recording 12 outcome(s)`), at `now`. A storage fault
    /// backs off; another error backs off only with `backOff` (a commit that failed, so the loop cannot spin on
    /// it).
    func failed(_ what: String, _ error: StoreError, at now: Date, backOff: Bool = false) {
        let cause = "store: \(what): \(error)"
        let report =
            error.isFault || backOff
            ? faults.withLock { $0.failed(cause: cause, at: now) }
            : refusals.withLock { $0.failed(cause: cause, at: now) }
        if let report { emit(.error("\(report)")) }
    }

    /// Reports a store call that did its work at `now`: the backoff ends (and its recovery is logged once).
    func succeeded(at now: Date) {
        let report = faults.withLock { $0.succeeded(at: now) }
        if let report { emit(.notice("\(report)")) }
    }

    /// When the store may be touched again, while that lies after `now`; `nil` when it may be touched now.
    func waitUntil(_ now: Date) -> Date? {
        faults.withLock { $0.isWaiting(at: now) ? $0.retryAt : nil }
    }
}
