/// Where one planned send (a ledger row) stands.
///
/// `planned → in-flight → sent | deferred | failed | unknown`; `held` waits for a reason to clear;
/// `skipped` and `cancelled` end a row without sending.
package enum SendState: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Waiting for its time (`nextAttemptAt`).
    case planned
    /// Claimed by a worker; recorded durably before the SMTP transfer starts.
    case inFlight = "in-flight"
    /// The server accepted it (250 after the final dot).
    case sent
    /// A temporary failure; retried at `nextAttemptAt` with backoff.
    case deferred
    /// A permanent failure (5xx); never retried.
    case failed
    /// The body may have reached the server and no final reply was recorded: the connection was lost after
    /// the body was sent, or the daemon stopped while the body was on the wire (the transfer journal shows it
    /// started and no reply; or, after a power loss, no trustworthy journal). Never resent silently.
    case unknown
    /// Waiting for a reason to clear (outside window, rate limit, missing variable, no owner, ...);
    /// looked at again at `nextAttemptAt`.
    case held
    /// Deliberately not sent (too late for its sequence, condition no longer true); ends the row.
    case skipped
    /// The enrollment ended or the step was removed before it was sent; ends the row.
    case cancelled

    /// `true` when the row still waits for the scheduler (planned, deferred or held).
    package var isWaiting: Bool { self == .planned || self == .deferred || self == .held }

    /// `true` when nothing more will happen to the row.
    package var isFinal: Bool { self == .sent || self == .failed || self == .skipped || self == .cancelled }

    /// `true` when the message counts against the rate limits: the relay accepted it (`sent`) or may have
    /// (`unknown`: the body was transmitted and no final reply was recorded). Counting `unknown` keeps a limit
    /// such as 2,000 a day a ceiling on what the relay may have delivered, never exceeded.
    package var countsTowardRateLimits: Bool { self == .sent || self == .unknown }

    /// The states ``countsTowardRateLimits`` is true for.
    package static let rateLimited: [SendState] = allCases.filter(\.countsTowardRateLimits)

    package var description: String { rawValue }
}
