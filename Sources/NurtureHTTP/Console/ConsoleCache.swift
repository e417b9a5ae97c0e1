import Foundation
import Synchronization

/// A value the console keeps for a while: the overview's figures (counting ten million ledger rows by state, or a
/// week of send-log lines, is the costliest read of any page, and these figures change little in seconds).
final class ConsoleCache<Value: Sendable>: Sendable {
    private let cached = Mutex<(at: Date, value: Value)?>(nil)
    private let lifetime: TimeInterval

    init(lifetime: TimeInterval) { self.lifetime = lifetime }

    /// The cached value when younger than the lifetime at `now`, else a fresh `fetch`.
    func value(now: Date, fetch: () async throws -> Value) async rethrows -> Value {
        if let entry = cached.withLock({ $0 }), now.timeIntervalSince(entry.at) < lifetime, entry.at <= now {
            return entry.value
        }
        let value = try await fetch()
        cached.withLock { $0 = (now, value) }
        return value
    }
}
