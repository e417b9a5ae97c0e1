package import Foundation

/// Why a send is held instead of sent; the prose is derived from the case, the ``kind`` is what is read back.
///
/// Adding a hold reason: one case here (with its ``ReasonKind``), one rung in ``SendGate``; the compiler then
/// points at every exhaustive switch over ``ReasonKind`` (the `why` answer, the `/metrics` hold categories).
package enum HoldReason: SendReason, Hashable {
    /// A sales-track step for a lead nobody owns (round-robin off, or everyone away).
    case noOwner
    /// The lead's owner is not among the configured salesperson.
    case unknownOwner(String)
    /// Outside the send window of `sequence`; `nextOpening` is the local time it opens next.
    case outsideWindow(sequence: String, nextOpening: String)
    /// The send window never opens.
    case windowNeverOpens
    /// At most one email per lead every `gap`; the last went at `lastSent`.
    case leadGap(gap: Duration, lastSent: Date)
    /// A rate limit is reached; `detail` names the limit and the count (``RateLimits``).
    case rateLimit(String)
    /// Catch-up pacing after downtime; `detail` says how many overdue sends went out (``CatchUpPacing``).
    case catchUp(String)
    /// The relay is paused; `detail` is the pause's reason (``RelayPausePolicy``).
    case relayPaused(String)
    /// The step cannot be rendered: the template error.
    case templateError(String)
    /// The store refused the checks: the store error.
    case storeError(String)
    /// The enrollment is paused: the lead's automatic reply said they are away (``EnrollmentRecord/pausedUntil``).
    /// `until` is when sending resumes by itself; `local` is that time in the lead's zone, for people.
    case paused(until: Date, local: String)

    package var kind: ReasonKind {
        switch self {
        case .noOwner: .noOwner
        case .unknownOwner: .unknownOwner
        case .outsideWindow: .outsideWindow
        case .windowNeverOpens: .windowNeverOpens
        case .leadGap: .leadGap
        case .rateLimit: .rateLimit
        case .catchUp: .catchUp
        case .relayPaused: .relayPaused
        case .templateError: .templateError
        case .storeError: .storeError
        case .paused: .outOfOffice
        }
    }

    /// E.g. `held: no owner; assign one with ...`, `outside the send window of `welcome`; next opening ...`.
    package var description: String {
        switch self {
        case .noOwner:
            return "held: no owner; assign a salesperson to the lead, or enable options.round_robin"
                + " (and make sure someone is not away)"
        case .unknownOwner(let id):
            return "held: owner `\(id)` is not a configured salesperson; add them under salespeople,"
                + " or assign the lead to someone who is"
        case .outsideWindow(let sequence, let nextOpening):
            return "outside the send window of `\(sequence)`; next opening \(nextOpening)"
        case .windowNeverOpens:
            return "the send window never opens"
        case .leadGap(let gap, let lastSent):
            return "at most one email per lead every \(ScheduleTime.describe(gap)) (limits.per_lead_min_gap);"
                + " last sent \(ScheduleTime.describe(lastSent))"
        case .rateLimit(let detail), .relayPaused(let detail):
            return detail
        case .catchUp(let detail):
            return "catching up after downtime: \(detail)"
        case .templateError(let error):
            return "cannot render: \(error); fix the template (`nurture check`) and reload"
        case .storeError(let error):
            return "store error: \(error)"
        case .paused(_, let local):
            return "paused: out of office until \(local); sending resumes by itself then"
        }
    }
}
