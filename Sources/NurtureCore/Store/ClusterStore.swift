package import Foundation

/// A store several daemons share (PostgreSQL): what they need beyond ``SendStore`` to send each message exactly
/// once, keep every limit exact across all of them, and take over the work of a daemon that died.
///
/// - Claims are leases. ``SendStore/recordAll(_:at:claiming:dueBy:)`` claims rows for ``instance`` with a lease
///   until `at + leaseDuration`; ``heartbeat(at:)`` renews the leases of every row this daemon holds.
/// - Before the body of a send may go out the daemon calls ``markStarted(_:at:saving:)``: it fences (only a row
///   this daemon still holds, lease unexpired, is marked) and it is the durable journal a daemon reclaiming the
///   row reads: started → possibly transmitted. The relay's answer is written to the row as soon as it arrives
///   (``TransferReply``: with the connection's next `markStarted`, or ``saveReplies(_:)`` when the worker ends), so
///   a daemon that dies before its group commit leaves the outcome, not a guess.
/// - ``reclaimExpired(at:)`` takes over rows whose lease ran out (their daemon died or lost the database) by
///   issue 7's rules: not started → waiting again; possibly transmitted → held by the caller for an `unknown`
///   outcome.
/// - Rate limits are reserved in the database (``reserve(_:keys:at:admit:)``), so N daemons together never
///   exceed one.
/// - Singleton work (planning, mailbox watchers, retention) runs on the daemon holding the leader lease
///   (``holdLeadership(at:)``), a row with a time to live, never a session lock.
package protocol ClusterStore: SendStore {
    /// This daemon, as the others see it.
    var instance: DaemonInstance { get }
    /// How long a claim, a heartbeat and the leader lease last without renewal.
    var leaseDuration: Duration { get }

    /// Records that this daemon is alive (its row in the daemons table) and renews, in the same transaction, the
    /// lease of every row it holds in flight. Call every `leaseDuration / 3`.
    func heartbeat(at: Date) async throws(StoreError)
    /// Marks this daemon stopped (a clean stop, after its claims were released or recorded).
    func signOff(at: Date) async throws(StoreError)
    /// Every daemon that heartbeated within the last `since`, ordered by id.
    func daemons(since: Date) async throws(StoreError) -> [DaemonRecord]

    /// Marks the transfer of `sendID` started (the body may go out next), if this daemon still holds it; in the
    /// same transaction, saves `replies` (earlier transfers' answers, ``saveReplies(_:)``).
    /// - Returns: `false` when the row is no longer this daemon's (lease expired and taken over, or recorded):
    ///   the send must not go out.
    func markStarted(_ sendID: Int64, at: Date, saving replies: [TransferReply]) async throws(StoreError) -> Bool
    /// Writes each reply to its row, if this daemon still holds the row in flight (a row taken over or recorded
    /// is left alone). Cleared by the next claim of the row.
    func saveReplies(_ replies: [TransferReply]) async throws(StoreError)
    /// Takes over the in-flight rows whose lease expired before `at`, in one transaction: a row never
    /// ``markStarted(_:at:)`` goes back to the waiting state it had before its claim (attempts unchanged, a send-log
    /// line saying a daemon stopped holding it); a started one is now held by this daemon (lease renewed, still
    /// in flight) and returned for the caller to record an `unknown` outcome.
    func reclaimExpired(at: Date) async throws(StoreError) -> ReclaimedSends
    /// Folds the changes to the ledger's counts by state that its writers appended since the last fold into the
    /// counts (the leader calls it every cluster round; readers add the changes not folded yet, so a fold changes
    /// no count anyone reads).
    func foldCounts() async throws(StoreError)

    /// Takes or renews the leader lease for ``leaseDuration``.
    /// - Returns: whether this daemon is the leader now.
    func holdLeadership(at: Date) async throws(StoreError) -> Bool

    /// Reserves a send in the rate counts, exactly across daemons: in one transaction, under a lock per key in
    /// `keys` (transaction-scoped advisory locks, taken in a fixed order), reads the counts (sent and unknown
    /// send-log lines in each window, plus live reservations of rows still in flight) and the lead's last send,
    /// asks `admit`, and when it says yes stores the reservation of `sendID` (which ends when its outcome is
    /// recorded).
    /// - Returns: the snapshot `admit` was asked with, and whether the send was reserved.
    func reserve(
        _ sendID: Int64, keys: RateKeys, at: Date, admit: @Sendable (RateSnapshot) -> Bool
    ) async throws(StoreError) -> (snapshot: RateSnapshot, reserved: Bool)

    /// Wake-ups from the other daemons (a lead changed, sends planned, a claim released): delivered by
    /// LISTEN/NOTIFY, best effort; polling stays the truth. The stream ends when the store stops.
    func wakeups() -> AsyncStream<Void>
    /// Tells every daemon listening to look at the store now (NOTIFY, after commit).
    func notifyOthers() async throws(StoreError)
}

/// One running daemon.
package struct DaemonInstance: Sendable, Hashable, CustomStringConvertible {
    /// Unique per start: `host-pid-8hex` (a restarted daemon is a new instance; its old leases expire).
    package var id: String
    package var host: String
    package var pid: Int32
    package var startedAt: Date

    package init(id: String, host: String, pid: Int32, startedAt: Date) {
        self.id = id
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
    }

    /// A new instance for this process: `host-pid-` and 8 random hex digits.
    package static func current(host: String, pid: Int32, at: Date) -> DaemonInstance {
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        let suffix = String(repeating: "0", count: 8 - random.count) + random
        return DaemonInstance(id: "\(host)-\(pid)-\(suffix)", host: host, pid: pid, startedAt: at)
    }

    package var description: String { id }
}

/// A daemon as the daemons table shows it (`nurture status`).
package struct DaemonRecord: Sendable, Hashable {
    package var instance: DaemonInstance
    package var heartbeatAt: Date
    /// Rows it holds in flight now.
    package var leasesHeld: Int
    /// Whether it holds the leader lease (unexpired).
    package var isLeader: Bool
    /// When it signed off (a clean stop); `nil` while running or after a crash.
    package var stoppedAt: Date?

    package init(
        instance: DaemonInstance, heartbeatAt: Date, leasesHeld: Int, isLeader: Bool, stoppedAt: Date? = nil
    ) {
        self.instance = instance
        self.heartbeatAt = heartbeatAt
        self.leasesHeld = leasesHeld
        self.isLeader = isLeader
        self.stoppedAt = stoppedAt
    }
}

extension ClusterStore {
    /// Marks the transfer of `sendID` started, saving no reply (``markStarted(_:at:saving:)``).
    package func markStarted(_ sendID: Int64, at: Date) async throws(StoreError) -> Bool {
        try await markStarted(sendID, at: at, saving: [])
    }
}

/// What ``ClusterStore/reclaimExpired(at:)`` took over.
package struct ReclaimedSends: Sendable, Hashable {
    /// Never started: waiting again.
    package var requeued: [PlannedSend]
    /// Started by a daemon that stopped holding them: still in flight, now held by the caller, to be recorded
    /// with the reply its daemon saved (``replies``), or as `unknown` when there is none.
    package var possiblyTransmitted: [PlannedSend]
    /// The replies saved for the current attempt of rows in ``possiblyTransmitted``, by send id.
    package var replies: [Int64: TransferReply]

    package init(
        requeued: [PlannedSend] = [], possiblyTransmitted: [PlannedSend] = [], replies: [Int64: TransferReply] = [:]
    ) {
        self.requeued = requeued
        self.possiblyTransmitted = possiblyTransmitted
        self.replies = replies
    }
}

/// The limit keys a send touches; `nil` keys are not locked or counted (their limit is off).
package struct RateKeys: Sendable, Hashable {
    /// The global per-minute count.
    package var all: Bool
    /// The From address (per-salesperson daily limit).
    package var sender: String?
    /// The recipient domain, lowercased (per-domain hourly limit).
    package var domain: String?
    /// The lead's address, lowercased (per-lead gap).
    package var lead: String?

    package init(all: Bool, sender: String?, domain: String?, lead: String?) {
        self.all = all
        self.sender = sender
        self.domain = domain
        self.lead = lead
    }
}

/// The counts and the lead's last send, read under the keys' locks.
package struct RateSnapshot: Sendable, Hashable {
    /// Each count includes live reservations (rows reserved and still in flight).
    package var counts: RateCounts
    /// The lead's last `sent` send-log line, or now when a send to the lead is reserved and in flight.
    package var lastSentToLead: Date?

    package init(counts: RateCounts, lastSentToLead: Date?) {
        self.counts = counts
        self.lastSentToLead = lastSentToLead
    }
}
