package import Foundation
import Synchronization

/// Login rate limiting: at most ``allowed`` failed logins per user name and per client address in any minute;
/// beyond that the login is refused without checking the password until the minute has passed.
package final class ConsoleLoginLimiter: Sendable {
    /// Failures allowed per key per ``window``.
    package let allowed: Int
    package let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    package init(allowed: Int = 5, window: TimeInterval = 60) {
        self.allowed = allowed
        self.window = window
    }

    /// Whether a login for these keys (`user:NAME`, `address:IP`) may be tried at `now`.
    package func permits(_ keys: [String], now: Date) -> Bool {
        failures.withLock { table in
            keys.allSatisfy { key in (table[key] ?? []).filter { now.timeIntervalSince($0) < window }.count < allowed }
        }
    }

    /// Records a failed login for these keys.
    package func failed(_ keys: [String], now: Date) {
        failures.withLock { table in
            for key in keys {
                table[key] = (table[key] ?? []).filter { now.timeIntervalSince($0) < window } + [now]
            }
            if table.count > 10_000 {
                table = table.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
            }
        }
    }
}
