import Foundation
package import Logging
import NurtureApp
package import NurtureConfig
package import NurtureCore
package import NurtureDaemon
import NurtureLog
package import NurtureMetrics
package import NurtureSMTP
import ServiceLifecycle

/// Watches one mailbox for the daemon: polls it, hands each new message to the ``InboundProcessor``, flags it
/// processed, and keeps the mailbox's cursor (UIDVALIDITY, last UID, health) in the store. One per configured
/// mailbox, each a service of the daemon's group.
///
/// - A poll reads the cursor, the mailbox's `STATUS`, then the UIDs above the cursor in windows of
///   ``MailboxSettings/window``; each message is fetched (its `\Seen` flag left as it was), processed, flagged with
///   the keyword (never deleted, never marked read), and the cursor saved after it: a crash re-reads at most the
///   message in hand, and its processed-message record keeps it from being acted on twice.
/// - A changed UIDVALIDITY (the server renumbered the mailbox) starts again from UID 0; the records, and the
///   keyword on messages flagged under the old numbering, stop double actions.
/// - A message whose processing fails (a store refusal that is not a fault) is tried on the next
///   ``maxAttempts`` - 1 polls, then recorded as unrelated with the reason, so one message never blocks its
///   mailbox. A message gone from the server is skipped; one too large is recorded as unrelated.
/// - A mailbox or store failure ends the poll: the cursor keeps the error, when the failures began and how many,
///   `status`, `/healthz` and `/metrics` show it, one line is logged per change of state, and the next poll waits
///   ``MailboxBackoff`` (doubling from the poll interval up to 15 minutes). A watcher never ends on a failure,
///   so the scheduler keeps sending.
/// - Between polls of a healthy mailbox the ``doorbell`` (IMAP IDLE), when given, ends the wait as soon as new mail
///   is announced; every return is followed by a poll, so mail announced just before the wait is not missed.
/// - Graceful shutdown ends the wait between polls at once, and a poll after the message in hand.
package struct MailboxWatcher: Service, CustomStringConvertible {
    package let mailbox: WatchedMailbox
    package let reader: any MailboxReader
    package let store: any SendStore
    /// The configuration in force (it changes on reload: the policy and VERP secret apply from the next message).
    package let configuration: @Sendable () -> NurtureConfiguration
    package let clock: any WallClock
    package let metrics: DaemonMetrics?
    package let log: Logger
    /// Tells the scheduler that a lead changed (it plans and checks again at once).
    package let wake: @Sendable () -> Void
    /// Polls a message may fail before it is recorded as unrelated with the reason.
    package var maxAttempts = 3
    /// Waits at most the given time for the server to announce new mail (IMAP IDLE); `true` when it did. Used
    /// between polls of a healthy mailbox instead of the plain wait, so new mail is read at once; a failing mailbox
    /// waits its backoff on ``clock``.
    package var doorbell: (@Sendable (Duration) async -> Bool)?
    /// Whether this daemon reads the mailboxes now: with several daemons on one database, only the leader does
    /// (the others wait a poll interval and ask again).
    package var isLeader: @Sendable () -> Bool = { true }

    package init(
        mailbox: WatchedMailbox, reader: any MailboxReader, store: any SendStore,
        configuration: @escaping @Sendable () -> NurtureConfiguration, clock: any WallClock,
        metrics: DaemonMetrics?, log: Logger, wake: @escaping @Sendable () -> Void
    ) {
        self.mailbox = mailbox
        self.reader = reader
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.metrics = metrics
        self.log = log
        self.wake = wake
    }

    /// `mailbox-<name>`, the service's name in the service group's log lines.
    package var description: String { "mailbox-\(mailbox.name)" }

    /// What a watcher remembers between polls.
    package struct Memory: Sendable, Hashable {
        /// The cursor as last saved (`nil` until read from the store).
        package var cursor: MailboxCursor?
        /// Failed processing attempts by UID (under the cursor's UIDVALIDITY).
        package var attempts: [UInt32: Int] = [:]
        /// Whether the stored cursor was read (once per watcher).
        package var loaded = false

        package init(cursor: MailboxCursor? = nil) {
            self.cursor = cursor
        }
    }

    /// Polls until the group shuts down; never ends on a failure.
    package func run() async {
        var memory = Memory()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            guard isLeader() else {
                let deadline = ScheduleTime.date(clock.now(), plus: mailbox.pollInterval)
                let clock = clock
                _ = await cancelWhenGracefulShutdown { await clock.pause(until: deadline) }
                continue
            }
            let wait = await poll(&memory)
            if let doorbell, memory.cursor?.failures == 0 {
                _ = await cancelWhenGracefulShutdown { await doorbell(wait) }
                continue
            }
            let deadline = ScheduleTime.date(clock.now(), plus: wait)
            let clock = clock
            _ = await cancelWhenGracefulShutdown { await clock.pause(until: deadline) }
        }
    }

    /// One poll; returns how long to wait before the next.
    package func poll(_ memory: inout Memory) async -> Duration {
        let before = memory.cursor
        do throws(PollFailure) {
            try await read(&memory)
            let checked = MailboxBackoff.succeeded(memory.cursor ?? fresh(uidValidity: 0), at: clock.now())
            try await save(checked, in: &memory)
            metrics?.mailboxPolled(mailbox.name, up: true)
        } catch {
            let failed = MailboxBackoff.failed(
                memory.cursor ?? fresh(uidValidity: 0), problem: error.description, at: clock.now())
            memory.cursor = failed
            try? await store.saveMailboxCursor(failed)
            metrics?.mailboxPolled(mailbox.name, up: false)
        }
        if let cursor = memory.cursor, let report = MailboxBackoff.report(before: before, after: cursor) {
            switch report {
            case .failing:
                log.log(.error, "mailbox", ["mailbox": mailbox.name, "problem": report.description])
            case .recovered:
                log.log(.notice, "mailbox", ["mailbox": mailbox.name, "message": report.description])
            }
        }
        return memory.cursor.map { MailboxBackoff.wait(after: $0, pollInterval: mailbox.pollInterval) }
            ?? mailbox.pollInterval
    }

    /// Reads every message above the cursor, saving the cursor after each.
    private func read(_ memory: inout Memory) async throws(PollFailure) {
        if !memory.loaded {
            let stored: MailboxCursor?
            do {
                stored = try await store.mailboxCursors().first { $0.mailbox == mailbox.name }
            } catch {
                throw .store(error)
            }
            if var stored {
                // Failures counted while the store could not be read carry on.
                if let failing = memory.cursor, failing.failures > stored.failures {
                    (stored.lastError, stored.failingSince, stored.failures) =
                        (failing.lastError, failing.failingSince, failing.failures)
                }
                memory.cursor = stored
            }
            memory.loaded = true
        }
        let status: MailboxStatus
        do {
            status = try await reader.status()
        } catch {
            throw .mailbox(error)
        }
        var cursor = memory.cursor ?? fresh(uidValidity: status.uidValidity)
        if cursor.uidValidity != status.uidValidity {
            // UIDVALIDITY is never 0 (RFC 3501): 0 is a cursor that was never placed.
            if cursor.uidValidity != 0 {
                log.log(
                    .warning, "mailbox",
                    [
                        "mailbox": mailbox.name,
                        "message":
                            "UIDVALIDITY changed from \(cursor.uidValidity) to \(status.uidValidity): the server"
                            + " renumbered the folder; every message is looked at again (none is acted on twice)",
                    ])
            }
            cursor.uidValidity = status.uidValidity
            cursor.lastUID = 0
            memory.attempts = [:]
        }
        // Written when it moved (first poll, renumbering); an unchanged cursor costs no store write per poll.
        if cursor != memory.cursor { try await save(cursor, in: &memory) }
        let window = max(mailbox.settings.window, 1)
        while true {
            let uids: [UInt32]
            do {
                uids = try await reader.uids(after: cursor.lastUID, limit: window)
            } catch {
                throw .mailbox(error)
            }
            for uid in uids where uid > cursor.lastUID {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                try await handle(uid, uidValidity: cursor.uidValidity, memory: &memory)
                cursor.lastUID = uid
                try await save(cursor, in: &memory)
            }
            if uids.count < window { return }
        }
    }

    /// Fetches, processes and flags one message.
    private func handle(_ uid: UInt32, uidValidity: UInt32, memory: inout Memory) async throws(PollFailure) {
        let message: FetchedMessage
        do {
            message = try await reader.fetch(uid: uid, uidValidity: uidValidity)
        } catch  where error.kind == .missing {
            log.log(
                .notice, "inbound_skipped", ["mailbox": mailbox.name, "uid": Int(uid), "reason": error.description])
            return
        } catch  where error.kind == .tooLarge {
            try await giveUp(uid, uidValidity: uidValidity, reason: "not read: \(error.message)")
            try await flag(uid, uidValidity: uidValidity)
            return
        } catch {
            throw .mailbox(error)
        }
        if message.wasProcessed,
            (try? await store.inboundRecord(mailbox: mailbox.name, uidValidity: uidValidity, uid: uid)) == nil
        {
            // Flagged by an earlier reading under another UIDVALIDITY (a renumbered or restored folder): acted on.
            log.log(
                .info, "inbound_skipped",
                ["mailbox": mailbox.name, "uid": Int(uid), "reason": "already flagged \(mailbox.settings.keyword)"])
            return
        }
        let processor = InboundProcessor(store: store, configuration: configuration())
        let incoming = InboundProcessor.Message(
            mailbox: mailbox.name, owner: mailbox.owner, uidValidity: uidValidity, uid: uid, bytes: message.bytes)
        do {
            let outcome = try await processor.process(incoming, now: clock.now())
            memory.attempts[uid] = nil
            if outcome.isNew { noteProcessed(outcome) }
        } catch {
            if error.isFault || error.code == .cancelled { throw .store(error) }
            let attempts = (memory.attempts[uid] ?? 0) + 1
            memory.attempts[uid] = attempts
            guard attempts >= maxAttempts else { throw .message(uid: uid, problem: error.description) }
            memory.attempts[uid] = nil
            try await giveUp(
                uid, uidValidity: uidValidity,
                reason: "not processed after \(attempts) attempts: \(error.description); read as unrelated")
        }
        try await flag(uid, uidValidity: uidValidity)
    }

    /// Records a message that cannot be processed as unrelated, with the reason, so it never blocks the mailbox.
    private func giveUp(_ uid: UInt32, uidValidity: UInt32, reason: String) async throws(PollFailure) {
        let record = InboundRecord(
            mailbox: mailbox.name, uidValidity: uidValidity, uid: uid, at: clock.now(), kind: .unrelated,
            evidence: reason, action: "nothing: \(reason)")
        do {
            try await store.recordInbound(record)
        } catch  where error.code == .constraint {
            // Recorded already.
        } catch {
            throw .store(error)
        }
        log.log(.warning, "inbound_skipped", ["mailbox": mailbox.name, "uid": Int(uid), "reason": reason])
        metrics?.inboundProcessed(mailbox.name, kind: .unrelated, action: InboundAction.none)
    }

    /// Sets the processed keyword.
    private func flag(_ uid: UInt32, uidValidity: UInt32) async throws(PollFailure) {
        do {
            try await reader.markProcessed(uid: uid, uidValidity: uidValidity)
        } catch {
            throw .mailbox(error)
        }
    }

    /// Logs and counts a newly processed message, and wakes the scheduler when a lead changed.
    private func noteProcessed(_ outcome: InboundProcessor.Outcome) {
        let record = outcome.record
        log.log(
            .notice, "inbound",
            [
                "mailbox": mailbox.name, "uid": Int(record.uid), "kind": record.kind.rawValue,
                "rule": record.rule?.rawValue, "lead": record.leadEmail, "send": record.sendID,
                "action": record.action,
            ])
        metrics?.inboundProcessed(mailbox.name, kind: record.kind, action: outcome.action)
        if outcome.action != .none { wake() }
    }

    /// Saves `cursor` and remembers it.
    private func save(_ cursor: MailboxCursor, in memory: inout Memory) async throws(PollFailure) {
        do {
            try await store.saveMailboxCursor(cursor)
        } catch {
            throw .store(error)
        }
        memory.cursor = cursor
    }

    /// A cursor at the start of the mailbox.
    private func fresh(uidValidity: UInt32) -> MailboxCursor {
        MailboxCursor(mailbox: mailbox.name, uidValidity: uidValidity, lastUID: 0)
    }
}
