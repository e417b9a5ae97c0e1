internal import Foundation
internal import NurtureCore
import Synchronization

/// In-memory counts of accepted (and possibly delivered, `unknown`) sends for the rate limits, so the check before each send costs no store query.
///
/// Each count (all sends in the last minute, per envelope sender in the last 24 hours, per recipient domain
/// in the last hour) is loaded from the store's send log the first time it is asked for, then kept current
/// by ``settle(_:sentAt:)`` as this process records outcomes. Sends prepared but not yet recorded are
/// counted as ``reserve(_:)``d, so sends running at the same time cannot exceed a limit together. The
/// daemon is the only process that records sends, so the counts match what the store would answer.
final class SentCounter: Sendable {
    /// Which counts a send touches.
    struct Keys: Hashable, Sendable {
        var sender: String
        var domain: String
    }

    private enum Key: Hashable {
        case all
        case sender(String)
        case domain(String)

        var window: TimeInterval {
            switch self {
            case .all: 60
            case .sender: 86_400
            case .domain: 3_600
            }
        }
    }

    /// The send times of one key inside its window, oldest first; `start` skips expired ones until compaction.
    private struct Window {
        var times: [Date]
        var start = 0

        var count: Int { times.count - start }

        /// Inserts in order (outcomes of concurrent sends arrive a few milliseconds out of order).
        mutating func insert(_ time: Date) {
            var index = times.count
            while index > start, times[index - 1] > time { index -= 1 }
            times.insert(time, at: index)
        }

        mutating func expire(before since: Date) {
            while start < times.count, times[start] < since { start += 1 }
            if start > 1024, start * 2 > times.count {
                times.removeFirst(start)
                start = 0
            }
        }
    }

    private struct State {
        /// Send times per loaded key.
        var windows: [Key: Window] = [:]
        var reserved: [Key: Int] = [:]
    }

    private let store: any SendStore
    private let state = Mutex(State())

    init(store: any SendStore) {
        self.store = store
    }

    /// The counts the rate limits need at `now`, each including reserved sends. A count not `needed` is 0
    /// and costs nothing.
    func counts(
        _ keys: Keys, now: Date, needAll: Bool, needSender: Bool, needDomain: Bool
    ) async throws(StoreError) -> RateCounts {
        RateCounts(
            lastMinute: needAll ? try await count(.all, now: now) : 0,
            senderLast24Hours: needSender ? try await count(.sender(keys.sender), now: now) : 0,
            domainLastHour: needDomain ? try await count(.domain(keys.domain), now: now) : 0)
    }

    /// Counts a prepared send until it is settled.
    func reserve(_ keys: Keys) {
        state.withLock { state in
            for key in [Key.all, .sender(keys.sender), .domain(keys.domain)] { state.reserved[key, default: 0] += 1 }
        }
    }

    /// Ends a reservation; with `sentAt`, the relay accepted the send (or may have: an unknown outcome) and it
    /// counts from then on.
    func settle(_ keys: Keys, sentAt: Date?) {
        state.withLock { state in
            for key in [Key.all, .sender(keys.sender), .domain(keys.domain)] {
                state.reserved[key, default: 0] -= 1
                if state.reserved[key] == 0 { state.reserved[key] = nil }
                guard let sentAt, state.windows[key] != nil else { continue }
                state.windows[key]!.insert(sentAt)
            }
        }
    }

    private func count(_ key: Key, now: Date) async throws(StoreError) -> Int {
        let since = now.addingTimeInterval(-key.window)
        if let counted = state.withLock({ state in Self.count(key, since: since, in: &state) }) { return counted }
        let query: RateQuery
        switch key {
        case .all: query = RateQuery(since: since)
        case .sender(let sender): query = RateQuery(since: since, sender: sender)
        case .domain(let domain): query = RateQuery(since: since, recipientDomain: domain)
        }
        let loaded = try await store.sentTimes(query)
        return state.withLock { state in
            if state.windows[key] == nil { state.windows[key] = Window(times: loaded) }
            return Self.count(key, since: since, in: &state) ?? 0
        }
    }

    /// Drops times older than the key's window and counts the rest plus reservations; `nil` when not loaded.
    private static func count(_ key: Key, since: Date, in state: inout State) -> Int? {
        guard state.windows[key] != nil else { return nil }
        state.windows[key]!.expire(before: since)
        return state.windows[key]!.count + (state.reserved[key] ?? 0)
    }
}
