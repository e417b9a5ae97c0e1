package import Foundation

/// The one storage protocol: leads, enrollments, the send ledger, the send log, lead audit, suppressions.
///
/// Every method is one durable transaction: when it returns, the change survives a crash or power loss.
/// Every method is `async`: an implementation does its blocking work (disk, network) off Swift's cooperative
/// pool and suspends the caller meanwhile. Implementations are safe to call from several tasks and from several
/// processes sharing the store (the CLI changes leads while the daemon runs). Failures are ``StoreError``s with a
/// ``StoreError/Code``. The requirements are batch-shaped; the single-row conveniences (``saveLead(_:at:)``,
/// ``lead(_:)``, ``enroll(_:in:at:endingOthers:)``, ``plan(_:at:)``, ``record(_:update:log:next:at:)``,
/// ``claimDue(now:limit:)``, ``isSuppressed(_:)``) are defaults over them. The SQLite implementation is in
/// `NurtureSQLite`; the `NurtureTestSupport` target ships `StoreContract`, the protocol suite every
/// implementation must pass.
package protocol SendStore: Sendable {
    // MARK: Leads

    /// Inserts the leads or replaces the stored ones with the same address (case-insensitive), in one
    /// transaction (CSV import).
    /// - Returns: how many were new.
    @discardableResult
    func saveLeads(_ leads: [Lead], at: Date) async throws(StoreError) -> Int
    /// Creates leads in one transaction (CSV import). For each, in order: saves the lead (one that exists by
    /// then is replaced, as ``saveLeads(_:at:)`` does), appends its audit entries, suppresses its address under
    /// `keying`'s key when `suppression` is set, and enrolls it in `sequence` if given (ending any active enrollment with
    /// `stageChanged`, as ``enrollAll(_:at:endingOthers:)`` does) with the
    /// ``LeadAuditEntry/enrolled(_:in:enrollmentID:at:)`` entry; finally saves `cursor` if given.
    /// - Returns: how many leads were new.
    @discardableResult
    func createLeads(
        _ leads: [NewLead], cursor: RoundRobinCursor?, keying: AddressKeying, at: Date
    ) async throws(StoreError) -> Int
    /// Writes one lead change in one transaction: saves ``LeadChange/lead`` (creating it when new), carries out
    /// its steps in order (audit lines; suppression under ``LeadChange/suppressionKey``; ending an enrollment,
    /// cancelling its waiting sends, with an `enrollment-ended` audit line; starting an enrollment with its
    /// `enrolled` audit line) and saves ``LeadChange/cursor`` when set. When it throws, nothing of it is written.
    @discardableResult
    func apply(_ change: LeadChange, at: Date) async throws(StoreError) -> LeadChangeResult
    /// The stored leads among `emails` (compared case-insensitively), read in one snapshot, in no particular order.
    func leads(_ emails: [EmailAddress]) async throws(StoreError) -> [Lead]
    /// Leads ordered by address, starting after `after`, at most `limit`.
    func leads(after: EmailAddress?, limit: Int) async throws(StoreError) -> [Lead]
    func leadCount() async throws(StoreError) -> Int

    // MARK: Audit

    func appendAudit(_ entry: LeadAuditEntry) async throws(StoreError)
    /// The lead's audit trail, oldest first.
    func audit(for email: EmailAddress) async throws(StoreError) -> [LeadAuditEntry]

    // MARK: Enrollments

    /// Ends the enrollment and cancels its waiting sends (state `cancelled`, reason logged) in one transaction.
    /// - Returns: how many waiting sends were cancelled.
    @discardableResult
    func endEnrollment(_ id: Int64, reason: EnrollmentEndReason, at: Date) async throws(StoreError) -> Int
    func enrollment(_ id: Int64) async throws(StoreError) -> EnrollmentRecord?
    /// The lead's enrollments, oldest first.
    func enrollments(for email: EmailAddress) async throws(StoreError) -> [EnrollmentRecord]
    /// Active enrollments that have no waiting or in-flight send (need their next step planned), at most `limit`.
    func enrollmentsNeedingPlan(limit: Int) async throws(StoreError) -> [EnrollmentRecord]
    /// Starts enrollments in one transaction. A lead has at most one active enrollment: any active one is ended
    /// first with `endingOthers` as the reason (a lead twice in `requests` ends up in the later sequence).
    /// - Returns: the new enrollments, in the order of `requests`.
    func enrollAll(
        _ requests: [EnrollmentRequest], at: Date, endingOthers: EnrollmentEndReason
    ) async throws(StoreError) -> [EnrollmentRecord]

    // MARK: Ledger

    /// Plans sends in one transaction (the daemon plans a batch of enrollments at a time, one durable commit for
    /// all). Planning the same (enrollment, step) twice returns the existing row unchanged; planning a step of an
    /// enrollment that has ended stores it `cancelled` (with a log line), so it is never sent.
    /// - Returns: the stored rows, in the order given.
    @discardableResult
    func planAll(_ sends: [NewPlannedSend], at: Date) async throws(StoreError) -> [PlannedSend]
    func send(_ id: Int64) async throws(StoreError) -> PlannedSend?
    /// The lead's sends, oldest first.
    func sends(for email: EmailAddress) async throws(StoreError) -> [PlannedSend]
    /// The sends of these enrollments, read in one snapshot, ordered by id (the daemon plans a batch of
    /// enrollments at a time).
    func sends(forEnrollments ids: [Int64]) async throws(StoreError) -> [PlannedSend]
    /// The earliest `nextAttemptAt` of any waiting row (planned, deferred, held), or `nil`.
    func earliestWaiting() async throws(StoreError) -> Date?
    /// Group commit, in one transaction (one sync to disk): applies every record in order — the row gets
    /// `update`, `log` is appended (its id assigned), and `next` is planned if given — then moves up to
    /// `claiming` waiting rows with `nextAttemptAt <= dueBy` to `in-flight`, earliest first. Two callers never
    /// claim the same row. `dueBy` may lie ahead of `at` (the scheduler claims a little before the due time so the
    /// sync is over when the send falls due). When it returns, all of it is durable; when it throws, none of it is.
    /// - Returns: the claimed rows, earliest first.
    func recordAll(
        _ records: [SendRecord], at: Date, claiming: Int, dueBy: Date
    ) async throws(StoreError) -> [PlannedSend]
    /// What the scheduler re-checks right before the sends it claimed, read from one snapshot, one answer per
    /// key in the order given: the lead (`nil` when it no longer exists), the enrollment (`nil` when it does not
    /// exist) and whether the key's address is suppressed (in any of its accepted forms).
    func sendContexts(_ keys: [SendContext.Key]) async throws(StoreError) -> [SendContext]
    /// Rows left `in-flight` by a crash become `unknown` (each with a log line). Call once at start-up.
    /// - Returns: the rows that were changed.
    func recoverInFlight(at: Date) async throws(StoreError) -> [PlannedSend]
    /// The rows in state `in-flight`, ordered by id (start-up recovery reads them before deciding).
    func inFlightSends() async throws(StoreError) -> [PlannedSend]
    /// Gives claimed sends that never went out back to the queue, in one transaction: each of `ids` still
    /// `in-flight` returns to the waiting state it had before its claim (planned, held or deferred) with its next
    /// attempt time and attempt count unchanged, and a send-log line in that state with `detail`. Used at a stop
    /// (claims not yet handed to a connection) and at start-up (claims the transfer journal shows never started).
    /// - Returns: the rows that were changed.
    @discardableResult
    func releaseInFlight(_ ids: [Int64], detail: String, at: Date) async throws(StoreError) -> [PlannedSend]
    /// Cancels every waiting row of `sequence` whose step is not in `keepingSteps` (a step was removed
    /// from the configuration), logging `reason`.
    /// - Returns: how many rows were cancelled.
    @discardableResult
    func cancelWaiting(
        sequence: String, keepingSteps: Set<String>, reason: String, at: Date
    ) async throws(StoreError) -> Int
    /// How many rows are in each state (states with none are absent).
    func stateCounts() async throws(StoreError) -> [SendState: Int]

    // MARK: Send log

    /// Send-log lines matching `filter`, oldest first.
    func log(_ filter: SendLogFilter) async throws(StoreError) -> [SendLogEntry]
    /// How many `sent` and `unknown` log lines match the query (rate limits; survives restarts). An unknown send
    /// may have reached the relay, so it counts (``SendState/countsTowardRateLimits``).
    func sentCount(_ query: RateQuery) async throws(StoreError) -> Int
    /// The times of the log lines ``sentCount(_:)`` counts, oldest first (seeds in-memory rate counters).
    func sentTimes(_ query: RateQuery) async throws(StoreError) -> [Date]

    // MARK: Round-robin

    /// The round-robin position for owner assignment (a fresh cursor when none was saved).
    func roundRobinCursor() async throws(StoreError) -> RoundRobinCursor
    func saveRoundRobinCursor(_ cursor: RoundRobinCursor) async throws(StoreError)

    // MARK: Unsubscribe links and erasure

    /// The lead whose one-click unsubscribe link carries `token` (registered when a marketing step was
    /// planned with ``NewPlannedSend/unsubscribeToken``), or `nil` for a token never issued.
    func lead(unsubscribeToken token: String) async throws(StoreError) -> Lead?
    /// Erases the lead's personal data in one transaction: ends its enrollment and cancels waiting sends,
    /// deletes the lead, its audit trail and its unsubscribe tokens, replaces its address in the ledger,
    /// enrollments and send log by `keying`'s ``AddressKeying/pseudonym(for:)`` (dropping SMTP replies that
    /// quote it), and suppresses the address under `keying`'s key (reason `erased`) so it is never mailed again.
    /// - Returns: what was done, or `nil` when there is no such lead.
    func eraseLead(_ email: EmailAddress, keying: AddressKeying, at: Date) async throws(StoreError) -> Erasure?

    // MARK: Health

    /// Writes and commits a tiny row (the time of the probe) to prove the store takes writes.
    func probeWrite(at: Date) async throws(StoreError)

    // MARK: Suppressions

    /// Never mail this address again: writes ``SuppressionKey/written`` (``AddressKeying/suppressionKey(for:)``).
    func suppress(_ key: SuppressionKey, reason: String, at: Date) async throws(StoreError)
    /// Why the address is suppressed under any of `key`'s accepted forms (`bounced`, `unsubscribed`, `erased`, ...), or `nil` when it is not.
    func suppressionReason(_ key: SuppressionKey) async throws(StoreError) -> String?
    /// Applies an ``Unsuppression`` in one transaction: saves the lead (no longer bounced), removes the address's
    /// suppression entries (keyed and legacy) from the list, re-opens the enrollment and plans the revived send again (with a
    /// send-log line) when given, and appends the audit lines.
    func unsuppress(_ change: Unsuppression, at: Date) async throws(StoreError)

    // MARK: Relay pauses

    /// Records a relay's pause (replacing the one stored for the same relay), so `nurture status` can show it.
    func saveRelayPause(_ pause: RelayPause) async throws(StoreError)
    /// Removes the relay's pause, if one is stored.
    func clearRelayPause(relay: String) async throws(StoreError)
    /// Every stored relay pause, ordered by relay.
    func relayPauses() async throws(StoreError) -> [RelayPause]

    // MARK: Inbound mail (issue 14)

    /// The planned sends whose Message-ID (without angle brackets) is one of `messageIDs` (attribution of replies
    /// and returned messages).
    func sends(messageIDs: [String]) async throws(StoreError) -> [PlannedSend]
    /// Every watched mailbox's cursor, ordered by mailbox name.
    func mailboxCursors() async throws(StoreError) -> [MailboxCursor]
    /// Saves a mailbox's cursor and health (replacing the stored one of the same mailbox).
    func saveMailboxCursor(_ cursor: MailboxCursor) async throws(StoreError)
    /// The processed-message record of one message, if it was processed.
    func inboundRecord(mailbox: String, uidValidity: UInt32, uid: UInt32) async throws(StoreError) -> InboundRecord?
    /// Records a processed message that changed no lead. A message already recorded is a `constraint` error.
    func recordInbound(_ record: InboundRecord) async throws(StoreError)
    /// The processed messages attributed to `email`, oldest first.
    func inbound(for email: EmailAddress) async throws(StoreError) -> [InboundRecord]
    /// The most recent processed messages, newest first (`mailbox` nil: every mailbox).
    func inboundLog(mailbox: String?, limit: Int) async throws(StoreError) -> [InboundRecord]
    /// How many messages of `kind` attributed to `email` were processed at or after `since` (soft bounces).
    func inboundCount(_ email: EmailAddress, kind: InboundKind, since: Date) async throws(StoreError) -> Int
}

/// How suppressed addresses are keyed: by hash, so an erased lead's address is not kept in clear
/// (``AddressKeying`` makes the keys; this is the legacy unkeyed form it still accepts).
package enum Suppression {
    /// Lowercase hex SHA-256 of the address, lowercased: the form versions before the pseudonym secret wrote.
    /// Anyone can compute it from a candidate address, so it is only read, never written when a secret is set.
    package static func unkeyedHash(of email: EmailAddress) -> String {
        hex(AddressKeying.unkeyedDigest(of: email))
    }

    /// Lowercase hex of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
