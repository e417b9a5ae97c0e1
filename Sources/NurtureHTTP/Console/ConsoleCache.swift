import Foundation
import Synchronization

/// A value the console keeps for a while: the overview's figures (a week of send-log lines for the chart is the
/// costliest read of any page, and these figures change little in seconds).
///
/// A page does not wait for a fresh value while the kept one is younger than `patience`: older than the lifetime,
/// the page gets it as it is and one refresh starts in the background (the next page shows the fresh value). Only
/// the first page, and one after nobody looked for longer than `patience`, waits for the read.
final class ConsoleCache<Value: Sendable>: Sendable {
    private struct State {
        var entry: (at: Date, value: Value)?
        var refreshing = false
    }

    private let state = Mutex(State())
    private let lifetime: TimeInterval
    private let patience: TimeInterval

    init(lifetime: TimeInterval, patience: TimeInterval) {
        self.lifetime = lifetime
        self.patience = patience
    }

    /// When the kept value was read; `nil` before the first.
    var keptAt: Date? { state.withLock { $0.entry?.at } }

    /// The kept value (refreshed in the background when older than the lifetime at `now`), or, when none is kept or
    /// it is older than the patience, a fresh `fetch`. A failed background refresh keeps the old value and is tried
    /// again by the next page.
    func value(now: Date, fetch: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (kept, refresh) = state.withLock { state -> (Value?, Bool) in
            guard let entry = state.entry, now.timeIntervalSince(entry.at) < patience else { return (nil, false) }
            let stale = now.timeIntervalSince(entry.at) >= lifetime || entry.at > now
            guard stale, !state.refreshing else { return (entry.value, false) }
            state.refreshing = true
            return (entry.value, true)
        }
        if let kept {
            if refresh {
                Task {
                    let fresh = try? await fetch()
                    self.state.withLock { state in
                        if let fresh { state.entry = (now, fresh) }
                        state.refreshing = false
                    }
                }
            }
            return kept
        }
        let value = try await fetch()
        state.withLock { $0.entry = (now, value) }
        return value
    }
}
