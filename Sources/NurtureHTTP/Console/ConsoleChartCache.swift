import Foundation
import NurtureCore
import Synchronization

/// The overview chart's counts, kept for a minute: counting a week of attempts reads every send-log line of the
/// week, which at millions of lines is the overview's costliest read, and an hour's bar changes little in a minute.
final class ConsoleChartCache: Sendable {
    private let cached = Mutex<(at: Date, counts: [HourlyCount])?>(nil)
    private let lifetime: TimeInterval

    init(lifetime: TimeInterval = 60) { self.lifetime = lifetime }

    /// The cached counts when younger than the lifetime at `now`, else a fresh `fetch`.
    func counts(now: Date, fetch: () async throws -> [HourlyCount]) async rethrows -> [HourlyCount] {
        if let entry = cached.withLock({ $0 }), now.timeIntervalSince(entry.at) < lifetime, entry.at <= now {
            return entry.counts
        }
        let counts = try await fetch()
        cached.withLock { $0 = (now, counts) }
        return counts
    }
}
