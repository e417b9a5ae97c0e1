public import Foundation
public import NurtureCore
public import NurtureSMTP
import Synchronization

/// The daemon's counters, fed from scheduler events and reloads, read by `/metrics` and `/healthz`.
///
/// Counters count since the daemon started (Prometheus `rate()` handles restarts); queue depth is read from
/// the store at scrape time, so it survives restarts and includes changes made by other processes.
public final class DaemonMetrics: Sendable {
    /// Upper bounds (seconds) of the delivery latency histogram buckets.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// A consistent copy of every counter.
    public struct Snapshot: Sendable {
        /// Send-log lines by (state, track), e.g. `("sent", "marketing") → 120`.
        public var sends: [Key: Int] = [:]
        /// Transfers by (outcome, track) with their latency histogram.
        public var latency: [Key: Histogram] = [:]
        /// Holds logged by category (`rate_limit`, `window`, `catch_up`, `other`).
        public var holds: [String: Int] = [:]
        /// Reloads attempted and how the last one went.
        public var reloads = 0
        public var reloadFailures = 0
        public var lastReloadSucceeded = true
        public var lastReloadAt: Date?
        /// API requests by (route, status class), e.g. `("intake", "2xx")`.
        public var requests: [Key: Int] = [:]
        /// The relay as last seen: whether it answered, and when.
        public var relayAnswered: Bool?
        public var relayLastSeen: Date?
        public var relay: String?
    }

    /// A pair of label values.
    public struct Key: Sendable, Hashable, Comparable {
        public var first: String
        public var second: String

        public init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }

        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.first, lhs.second) < (rhs.first, rhs.second) }
    }

    /// Cumulative bucket counts, sum and count of observed seconds.
    public struct Histogram: Sendable {
        public var buckets: [Int] = Array(repeating: 0, count: DaemonMetrics.latencyBuckets.count)
        public var sum = 0.0
        public var count = 0

        mutating func observe(_ seconds: Double) {
            for (index, bound) in DaemonMetrics.latencyBuckets.enumerated() where seconds <= bound {
                buckets[index] += 1
            }
            sum += seconds
            count += 1
        }
    }

    private let state = Mutex(Snapshot())

    /// Makes empty counters.
    public init() {}

    /// A copy of the counters.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Counts one send-log line (`track` from the configuration; `unknown` when the sequence is gone).
    public func recorded(_ entry: SendLogEntry, track: Track?) {
        let trackName = track?.rawValue ?? "unknown"
        state.withLock { state in
            state.sends[Key(entry.state.rawValue, trackName), default: 0] += 1
            if entry.state == .held { state.holds[Self.holdCategory(entry.reasonKind), default: 0] += 1 }
        }
    }

    /// Counts one finished transfer and notes how the relay answered.
    public func transferred(
        outcome: DeliveryOutcome.Kind, track: Track, seconds: Double, relay: String, answered: Bool, at: Date
    ) {
        state.withLock { state in
            state.latency[Key(outcome.rawValue, track.rawValue), default: Histogram()].observe(seconds)
            state.relay = relay
            state.relayAnswered = answered
            state.relayLastSeen = at
        }
    }

    /// Counts a reload and whether it was accepted.
    public func reloaded(succeeded: Bool, at: Date) {
        state.withLock { state in
            state.reloads += 1
            if !succeeded { state.reloadFailures += 1 }
            state.lastReloadSucceeded = succeeded
            state.lastReloadAt = at
        }
    }

    /// Counts one HTTP request by route name and status.
    public func request(route: String, status: Int) {
        state.withLock { state in state.requests[Key(route, "\(status / 100)xx"), default: 0] += 1 }
    }

    /// The `/metrics` category of a hold by its reason's kind (`rate_limit`, `window`, `catch_up`, `other`);
    /// an unclassified hold (no kind) is `other`. Exhaustive: a new ``ReasonKind`` must be given a category.
    static func holdCategory(_ kind: ReasonKind?) -> String {
        guard let kind else { return "other" }
        switch kind {
        case .rateLimit, .leadGap: return "rate_limit"
        case .outsideWindow, .windowNeverOpens: return "window"
        case .catchUp: return "catch_up"
        case .noOwner, .unknownOwner, .relayPaused, .templateError, .storeError, .conditionNotMet, .tooLate,
            .leadGone, .enrollmentEnded, .sequenceRemoved, .stepRemoved, .unsubscribed, .bounced, .terminalStage,
            .suppressed, .invalidMessageID, .retrying, .gaveUp, .recipientBounced, .messageRefused, .outcomeUnknown:
            return "other"
        }
    }
}
