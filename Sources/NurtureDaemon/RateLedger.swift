import Foundation
import NurtureCore
import Synchronization

/// Where the scheduler keeps its rate counts: the in-memory ``SentCounter`` for a store one daemon owns
/// (SQLite: exact there, and fast), or reservations in a store several daemons share (``ClusterStore``), so N
/// daemons together never exceed a limit.
///
/// ``admit(_:sendID:lastSentNeeded:gate:)`` gathers the history a screened send's last rungs read, asks the gate,
/// and when it says send, reserves the send in the counts (until ``settle(_:sentAt:)``) in the same step.
protocol RateLedger: Sendable {
    /// Runs `gate` over the lead's last send and the rate counts for `screened`; reserves the send when the gate
    /// says `send`.
    /// - Parameter lastSentNeeded: whether the per-lead gap is on (the lead's last send is read only then).
    func admit(
        _ screened: SendGate.Screened, sendID: Int64, lastSentNeeded: Bool, now: Date,
        gate: @escaping @Sendable (_ lastSentToLead: Date?, _ counts: RateCounts) -> SendVerdict
    ) async throws(StoreError) -> SendVerdict
    /// Counts a send recovered with an outcome (start-up recovery, a reclaimed send) until it is settled.
    func reserveRecovered(_ keys: SentCounter.Keys)
    /// Ends a reservation; with `sentAt`, the send counts from then on.
    func settle(_ keys: SentCounter.Keys, sentAt: Date?)
}

/// The rate counts of a store one daemon owns: ``SentCounter``.
struct CounterLedger: RateLedger {
    let store: any SendStore
    let counter: SentCounter

    func admit(
        _ screened: SendGate.Screened, sendID: Int64, lastSentNeeded: Bool, now: Date,
        gate: @escaping @Sendable (Date?, RateCounts) -> SendVerdict
    ) async throws(StoreError) -> SendVerdict {
        var lastSent: Date?
        if lastSentNeeded {
            lastSent = try await store.log(SendLogFilter(leadEmail: screened.lead.email, state: .sent, limit: 1)).last?
                .at
        }
        let keys = SentCounter.Keys(sender: screened.sender, domain: screened.domain)
        let counts = try await counter.counts(
            keys, now: now, needAll: screened.needsGlobalCount, needSender: screened.needsSenderCount,
            needDomain: screened.needsDomainCount)
        let verdict = gate(lastSent, counts)
        // The checks run one after another, so no other send is counted between the read and the reservation.
        if case .send = verdict { counter.reserve(keys) }
        return verdict
    }

    func reserveRecovered(_ keys: SentCounter.Keys) { counter.reserve(keys) }

    func settle(_ keys: SentCounter.Keys, sentAt: Date?) { counter.settle(keys, sentAt: sentAt) }
}

/// The rate counts of a store several daemons share: each send is reserved in the database under the locks of
/// its keys (``ClusterStore/reserve(_:keys:at:admit:)``); the store ends the reservation when the send's outcome
/// is recorded (or its claim released), so settling here is nothing.
struct ClusterLedger: RateLedger {
    let store: any ClusterStore

    /// The keys a screened send locks and counts: only those whose limit is on; the lead only with a per-lead gap.
    static func keys(for screened: SendGate.Screened, lastSentNeeded: Bool) -> RateKeys {
        RateKeys(
            all: screened.needsGlobalCount, sender: screened.needsSenderCount ? screened.sender : nil,
            domain: screened.needsDomainCount ? screened.domain : nil,
            lead: lastSentNeeded ? screened.lead.email.description.lowercased() : nil)
    }

    func admit(
        _ screened: SendGate.Screened, sendID: Int64, lastSentNeeded: Bool, now: Date,
        gate: @escaping @Sendable (Date?, RateCounts) -> SendVerdict
    ) async throws(StoreError) -> SendVerdict {
        let keys = Self.keys(for: screened, lastSentNeeded: lastSentNeeded)
        // No limit and no gap: nothing to count or lock.
        if keys == RateKeys(all: false, sender: nil, domain: nil, lead: nil) { return gate(nil, RateCounts()) }
        let asked = Mutex<SendVerdict?>(nil)
        let (snapshot, reserved) = try await store.reserve(sendID, keys: keys, at: now) { snapshot in
            let verdict = gate(snapshot.lastSentToLead, snapshot.counts)
            asked.withLock { $0 = verdict }
            if case .send = verdict { return true }
            return false
        }
        let verdict = asked.withLock { $0 } ?? gate(snapshot.lastSentToLead, snapshot.counts)
        if case .send = verdict, !reserved {
            // The store refused what the gate allowed (it must not): held briefly rather than sent uncounted.
            return .hold(
                until: ScheduleTime.date(now, plus: .seconds(60)),
                .storeError("the rate reservation of send \(sendID) was refused"))
        }
        return verdict
    }

    func reserveRecovered(_ keys: SentCounter.Keys) {}

    func settle(_ keys: SentCounter.Keys, sentAt: Date?) {}
}
