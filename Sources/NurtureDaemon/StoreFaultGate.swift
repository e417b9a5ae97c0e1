import Foundation
import NurtureCore
import Synchronization

/// The scheduler's view of a store that refuses work: one ``StoreBackoff`` shared by the loop, the planner and
/// the group commit, and the log lines it allows.
///
/// A storage fault (``StoreError/fault``: a full disk, a read-only file system, a lock held too long) starts or
/// extends the backoff and is logged at most once per 30 s with its cause; an error that is not a fault (a
/// refused request, an unreadable row) is logged at once and does not hold the loop back.
final class StoreFaultGate: Sendable {
    private let backoff: Mutex<StoreBackoff>
    private let emit: @Sendable (Scheduler.Event) -> Void

    init(_ backoff: StoreBackoff = StoreBackoff(), emit: @escaping @Sendable (Scheduler.Event) -> Void) {
        self.backoff = Mutex(backoff)
        self.emit = emit
    }

    /// Reports `error`, raised while doing `what` (e.g. `recording 12 outcome(s)`), at `now`.
    func failed(_ what: String, _ error: StoreError, at now: Date) {
        guard error.fault != nil else {
            emit(.error("store: \(what): \(error)"))
            return
        }
        let report = backoff.withLock { $0.failed(cause: "store: \(what): \(error)", at: now) }
        if let report { emit(.error("\(report)")) }
    }

    /// Reports a store call that did its work at `now`: the backoff ends (and its recovery is logged once).
    func succeeded(at now: Date) {
        let report = backoff.withLock { $0.succeeded(at: now) }
        if let report { emit(.notice("store: \(report)")) }
    }

    /// When the store may be touched again, while that lies after `now`; `nil` when it may be touched now.
    func waitUntil(_ now: Date) -> Date? {
        backoff.withLock { $0.isWaiting(at: now) ? $0.retryAt : nil }
    }

    /// Whether the last store call of the loop failed with a fault.
    var isFailing: Bool { backoff.withLock { $0.isFailing } }
}
