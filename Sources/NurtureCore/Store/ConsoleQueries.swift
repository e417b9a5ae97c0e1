package import Foundation

/// What the operator console reads that the scheduler never needs: the send log as pages of ledger rows with
/// filters, one send's log lines and incoming messages, a sequence's funnel, and sends per hour. A store that
/// serves the console implements it next to ``SendStore``; every query reads one snapshot and is bounded (keyset
/// pages, grouped counts), so a page stays fast at millions of rows.
package protocol ConsoleQueries: Sendable {
    /// Ledger rows matching `query`, newest first (highest id first; with a date range, latest due first, then
    /// highest id: ``SendQuery/ordersByDue``), at most ``SendQuery/limit``, with the From address of each row's
    /// latest attempt.
    func sendPage(_ query: SendQuery) async throws(StoreError) -> [SendPageRow]
    /// Every send-log line of one send, oldest first.
    func sendLog(send id: Int64) async throws(StoreError) -> [SendLogEntry]
    /// The processed incoming messages tied to one send, oldest first.
    func inbound(send id: Int64) async throws(StoreError) -> [InboundRecord]
    /// The ledger rows of `sequence` counted by step, state and reason kind.
    func funnel(sequence: String) async throws(StoreError) -> [FunnelCount]
    /// How many replies (``InboundKind/reply``) are tied to a send of each step of `sequence`, by step id.
    func replies(sequence: String) async throws(StoreError) -> [String: Int]
    /// Rows of one step that did not go out (held, skipped, cancelled, failed, unknown), newest first, at most
    /// `limit`.
    func missed(sequence: String, step: String, limit: Int) async throws(StoreError) -> [PlannedSend]
    /// The `limit` enrollments of `sequence` that ended most recently, newest first, each with the highest step
    /// number planned for it: it ended before any step numbered above that was planned (who did not get a step
    /// because they left first). Bounded, however many ended long ago.
    func endedEnrollments(sequence: String, limit: Int) async throws(StoreError) -> [EndedEnrollment]
    /// Send-log attempts (sent, deferred, failed, unknown) at or after `since`, counted by hour (UTC), track and
    /// state. The track is read from the attempt's From address (`marketingSender` is marketing, any other is a
    /// salesperson's), so the count reads the send log alone; a line without one takes its send's track.
    func hourlyAttempts(since: Date, marketingSender: String) async throws(StoreError) -> [HourlyCount]
    /// An operator's decision about a send whose outcome is `unknown` (resend it, or give it up), in one
    /// transaction: only while the row is still `unknown`, it takes `update`'s state, reason and (for a waiting
    /// state) next attempt time, attempts unchanged, and `log` is appended.
    /// - Returns: `false` (nothing written) when the row is not `unknown` (any more).
    func resolveUnknown(_ id: Int64, update: SendUpdate, log: SendLogEntry, at: Date) async throws(StoreError) -> Bool
}

/// The filters of one page of the console's send log; `nil` filters match everything.
package struct SendQuery: Sendable, Hashable {
    /// Addresses starting with this text, compared case-insensitively.
    package var leadPrefix: String?
    package var sequence: String?
    package var step: String?
    package var state: SendState?
    package var track: Track?
    /// The From address of any attempt of the send.
    package var sender: String?
    /// Due at or after this instant.
    package var from: Date?
    /// Due before this instant.
    package var to: Date?
    /// Keyset pagination: only rows with a smaller id (with ``ordersByDue``, rows due before ``afterDue``, or due
    /// at it with a smaller id).
    package var after: Int64?
    /// With ``ordersByDue``, the due time of the row ``after`` names (the last row of the previous page).
    package var afterDue: Date?
    /// At most this many rows.
    package var limit: Int

    package init(
        leadPrefix: String? = nil, sequence: String? = nil, step: String? = nil, state: SendState? = nil,
        track: Track? = nil, sender: String? = nil, from: Date? = nil, to: Date? = nil, after: Int64? = nil,
        afterDue: Date? = nil, limit: Int = 50
    ) {
        self.leadPrefix = leadPrefix
        self.sequence = sequence
        self.step = step
        self.state = state
        self.track = track
        self.sender = sender
        self.from = from
        self.to = to
        self.after = after
        self.afterDue = afterDue
        self.limit = limit
    }

    /// Whether pages are ordered by due time (latest first, then id) instead of by id: when a date range is set, so
    /// that the range is read from an index on `(due_at, id)` a page at a time however old it is.
    package var ordersByDue: Bool { from != nil || to != nil }

    /// The upper bound of a case-insensitive prefix range: every address starting with `prefix` (lowercased)
    /// sorts at or above the prefix and below this, so an index on the lowercased address answers it.
    package static func prefixUpperBound(_ prefix: String) -> String { prefix.lowercased() + "\u{10FFFF}" }
}

/// One row of the console's send log: the ledger row and the From address of its latest attempt.
package struct SendPageRow: Sendable, Hashable {
    package var send: PlannedSend
    /// `nil` when no attempt was made yet.
    package var sender: String?

    package init(send: PlannedSend, sender: String?) {
        self.send = send
        self.sender = sender
    }
}

/// How many rows of one step are in one state (with one reason kind).
package struct FunnelCount: Sendable, Hashable {
    package var step: String
    package var stepNumber: Int
    package var state: SendState
    package var reasonKind: ReasonKind?
    package var count: Int

    package init(step: String, stepNumber: Int, state: SendState, reasonKind: ReasonKind?, count: Int) {
        self.step = step
        self.stepNumber = stepNumber
        self.state = state
        self.reasonKind = reasonKind
        self.count = count
    }
}

/// How many attempts of one track ended in one state within one hour.
package struct HourlyCount: Sendable, Hashable {
    /// The start of the hour (UTC).
    package var hour: Date
    package var track: Track
    package var state: SendState
    package var count: Int

    package init(hour: Date, track: Track, state: SendState, count: Int) {
        self.hour = hour
        self.track = track
        self.state = state
        self.count = count
    }
}

/// An enrollment that ended, and how far it got: the highest step number planned for it (0 when none was).
package struct EndedEnrollment: Sendable, Hashable {
    package var enrollment: EnrollmentRecord
    package var plannedThrough: Int

    package init(enrollment: EnrollmentRecord, plannedThrough: Int) {
        self.enrollment = enrollment
        self.plannedThrough = plannedThrough
    }
}
