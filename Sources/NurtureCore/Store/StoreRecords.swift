package import Foundation

/// One enrollment of a lead in a sequence, as stored.
package struct EnrollmentRecord: Sendable, Hashable, Identifiable {
    package var id: Int64
    package var leadEmail: EmailAddress
    package var sequence: String
    package var startedAt: Date
    /// When the enrollment ended; `nil` while active.
    package var endedAt: Date?
    package var endReason: EnrollmentEndReason?
    /// Paused (out-of-office) until then: its sends wait and resume by themselves. `nil`: not paused.
    package var pausedUntil: Date?

    package init(
        id: Int64, leadEmail: EmailAddress, sequence: String, startedAt: Date, endedAt: Date? = nil,
        endReason: EnrollmentEndReason? = nil, pausedUntil: Date? = nil
    ) {
        self.id = id
        self.leadEmail = leadEmail
        self.sequence = sequence
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.pausedUntil = pausedUntil
    }

    package var isActive: Bool { endedAt == nil }
}

/// A send to plan: one enrollment, one step. The Message-ID is fixed here and reused on every retry.
package struct NewPlannedSend: Sendable, Hashable {
    package var enrollmentID: Int64
    package var leadEmail: EmailAddress
    package var sequence: String
    package var step: String
    /// The step's position in its sequence, from 1.
    package var stepNumber: Int
    package var track: Track
    /// When the step is due by its delay alone (before windows and limits); staleness is measured from it.
    package var dueAt: Date
    /// When the scheduler should first look at it (due time moved into the send window, plus jitter).
    package var nextAttemptAt: Date
    package var messageID: String
    /// Why the first attempt is later than `dueAt`, if it is (e.g. "outside window: next opening ...").
    package var reason: String?
    /// The stable kind of ``reason`` (``ReasonKind/outsideWindow`` when moved into the window).
    package var reasonKind: ReasonKind?
    /// The one-click unsubscribe token the message will carry (marketing steps), stored with the plan so the
    /// HTTP interface can resolve the link before the message is even sent.
    package var unsubscribeToken: String?

    package init(
        enrollmentID: Int64, leadEmail: EmailAddress, sequence: String, step: String, stepNumber: Int,
        track: Track, dueAt: Date, nextAttemptAt: Date, messageID: String, reason: String? = nil,
        unsubscribeToken: String? = nil, reasonKind: ReasonKind? = nil
    ) {
        self.reasonKind = reasonKind
        self.enrollmentID = enrollmentID
        self.leadEmail = leadEmail
        self.sequence = sequence
        self.step = step
        self.stepNumber = stepNumber
        self.track = track
        self.dueAt = dueAt
        self.nextAttemptAt = nextAttemptAt
        self.messageID = messageID
        self.reason = reason
        self.unsubscribeToken = unsubscribeToken
    }
}

/// One ledger row: a planned send and everything that happened to it so far.
package struct PlannedSend: Sendable, Hashable, Identifiable {
    package var id: Int64
    package var enrollmentID: Int64
    package var leadEmail: EmailAddress
    package var sequence: String
    package var step: String
    package var stepNumber: Int
    package var track: Track
    package var dueAt: Date
    package var nextAttemptAt: Date
    package var state: SendState
    /// SMTP attempts made so far.
    package var attempts: Int
    package var messageID: String
    package var lastCode: Int?
    package var lastReply: String?
    /// Why the row waits, was skipped or cancelled, in words an operator can act on.
    package var reason: String?
    /// The stable kind of ``reason`` (what `why`, `status` and the pacing read); `nil` when unclassified.
    package var reasonKind: ReasonKind?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: Int64, enrollmentID: Int64, leadEmail: EmailAddress, sequence: String, step: String, stepNumber: Int,
        track: Track, dueAt: Date, nextAttemptAt: Date, state: SendState, attempts: Int, messageID: String,
        lastCode: Int? = nil, lastReply: String? = nil, reason: String? = nil, reasonKind: ReasonKind? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.reasonKind = reasonKind
        self.id = id
        self.enrollmentID = enrollmentID
        self.leadEmail = leadEmail
        self.sequence = sequence
        self.step = step
        self.stepNumber = stepNumber
        self.track = track
        self.dueAt = dueAt
        self.nextAttemptAt = nextAttemptAt
        self.state = state
        self.attempts = attempts
        self.messageID = messageID
        self.lastCode = lastCode
        self.lastReply = lastReply
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How a row changes after an attempt or a decision, recorded together with its send-log line.
package struct SendUpdate: Sendable, Hashable {
    package var state: SendState
    /// When to look at the row again (deferred, held); ignored for final states.
    package var nextAttemptAt: Date?
    /// `true` when an SMTP transfer was attempted (increments `attempts`).
    package var attempted: Bool
    package var code: Int?
    package var reply: String?
    package var reason: String?
    /// The stable kind of ``reason``; `nil` when unclassified.
    package var reasonKind: ReasonKind?

    package init(
        state: SendState, nextAttemptAt: Date? = nil, attempted: Bool, code: Int? = nil, reply: String? = nil,
        reason: String? = nil, reasonKind: ReasonKind? = nil
    ) {
        self.reasonKind = reasonKind
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.attempted = attempted
        self.code = code
        self.reply = reply
        self.reason = reason
    }
}

/// One line of the append-only send log: every attempt and every decision about a send.
package struct SendLogEntry: Sendable, Hashable, Identifiable {
    /// Assigned by the store (increasing); 0 before it is stored.
    package var id: Int64
    package var at: Date
    package var sendID: Int64
    package var leadEmail: EmailAddress
    package var sequence: String
    package var step: String
    package var messageID: String
    /// The state the row moved to (`sent`, `deferred`, `failed`, `unknown`, `held`, `skipped`, `cancelled`, ...).
    package var state: SendState
    /// Attempt number for SMTP attempts, from 1; 0 for decisions without a transfer (held, skipped).
    package var attempt: Int
    package var code: Int?
    package var reply: String?
    /// The reason or transport detail, in words.
    package var detail: String?
    /// The stable kind of the reason in ``detail``; `nil` when unclassified (or not a decision's reason).
    package var reasonKind: ReasonKind?
    /// The From address the send went out under (the per-sender rate-limit key; with VERP the envelope sender
    /// differs); `nil` when no transfer.
    package var sender: String?
    /// The recipient's domain, lowercased (for per-domain rate limits).
    package var recipientDomain: String
    /// For an SMTP attempt: when the transfer started (the message was handed to a connection); `at` is when
    /// it ended. `startedAt` minus the send's due time is how late the attempt was. `nil` for decisions.
    package var startedAt: Date?

    package init(
        id: Int64 = 0, at: Date, sendID: Int64, leadEmail: EmailAddress, sequence: String, step: String,
        messageID: String, state: SendState, attempt: Int, code: Int? = nil, reply: String? = nil,
        detail: String? = nil, sender: String? = nil, recipientDomain: String, startedAt: Date? = nil,
        reasonKind: ReasonKind? = nil
    ) {
        self.reasonKind = reasonKind
        self.startedAt = startedAt
        self.id = id
        self.at = at
        self.sendID = sendID
        self.leadEmail = leadEmail
        self.sequence = sequence
        self.step = step
        self.messageID = messageID
        self.state = state
        self.attempt = attempt
        self.code = code
        self.reply = reply
        self.detail = detail
        self.sender = sender
        self.recipientDomain = recipientDomain
    }
}

/// Which send-log lines to read.
package struct SendLogFilter: Sendable, Hashable {
    package var leadEmail: EmailAddress?
    package var sequence: String?
    package var state: SendState?
    package var since: Date?
    /// Only lines with an id greater than this (for `--follow`).
    package var afterID: Int64?
    /// The newest `limit` lines (returned oldest first); `nil` for all.
    package var limit: Int?

    package init(
        leadEmail: EmailAddress? = nil, sequence: String? = nil, state: SendState? = nil, since: Date? = nil,
        afterID: Int64? = nil, limit: Int? = nil
    ) {
        self.leadEmail = leadEmail
        self.sequence = sequence
        self.state = state
        self.since = since
        self.afterID = afterID
        self.limit = limit
    }
}

/// One line of a lead's audit trail (stage, owner, qualification changes, unsubscribes, enrollments).
package struct LeadAuditEntry: Sendable, Hashable {
    package var at: Date
    package var leadEmail: EmailAddress
    /// A short kind such as `created`, `stage-changed`, `owner-changed`, `unsubscribed`, `bounced`,
    /// `replied`, `enrolled`, `enrollment-ended`, `qualification`, `updated`.
    package var kind: String
    /// What changed, in words (e.g. "lead → sales-qualified").
    package var detail: String

    package init(at: Date, leadEmail: EmailAddress, kind: String, detail: String) {
        self.at = at
        self.leadEmail = leadEmail
        self.kind = kind
        self.detail = detail
    }
}

/// Counts of accepted sends in a time range, for rate limits (persisted through the send log).
package struct RateQuery: Sendable, Hashable {
    package var since: Date
    /// Only sends from this From address (the rate-limit key).
    package var sender: String?
    /// Only sends to this recipient domain (lowercased).
    package var recipientDomain: String?

    package init(since: Date, sender: String? = nil, recipientDomain: String? = nil) {
        self.since = since
        self.sender = sender
        self.recipientDomain = recipientDomain
    }
}
