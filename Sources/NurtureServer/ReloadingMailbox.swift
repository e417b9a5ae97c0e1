package import NurtureSMTP
import Synchronization

/// A watched mailbox's reader that follows reloads: before each IMAP call it looks up the mailbox (by name) in the
/// configuration in force, and when its settings changed — a refreshed OAuth token or password file, a new URL,
/// keyword or CA — it drops the old connection and reads through a new ``IMAPMailbox``. So a token helper that
/// rewrites the token file and sends SIGHUP keeps the mailbox reachable without a restart. A mailbox that is no
/// longer configured keeps its last settings until the next start (its watcher runs until then).
package final class ReloadingMailbox: MailboxReader, Sendable {
    private let name: String
    private let settings: @Sendable () -> MailboxSettings?
    private let state: Mutex<IMAPMailbox>

    /// - Parameters:
    ///   - initial: the settings the watcher starts with.
    ///   - settings: the mailbox's settings in the configuration in force (`nil` when it is no longer there).
    package init(initial: MailboxSettings, settings: @escaping @Sendable () -> MailboxSettings?) {
        self.name = initial.name
        self.settings = settings
        self.state = Mutex(IMAPMailbox(settings: initial))
    }

    /// The reader for the settings in force (a new one when they changed since the last call).
    package func current() -> IMAPMailbox {
        let wanted = settings()
        return state.withLock { reader in
            if let wanted, wanted != reader.settings { reader = IMAPMailbox(settings: wanted) }
            return reader
        }
    }

    package func status() async throws(MailboxError) -> MailboxStatus { try await current().status() }

    package func uids(after: UInt32, limit: Int) async throws(MailboxError) -> [UInt32] {
        try await current().uids(after: after, limit: limit)
    }

    package func fetch(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) -> FetchedMessage {
        try await current().fetch(uid: uid, uidValidity: uidValidity)
    }

    package func markProcessed(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) {
        try await current().markProcessed(uid: uid, uidValidity: uidValidity)
    }

    /// The IMAP IDLE doorbell of the current reader.
    package func waitForNewMail(timeout: Duration) async -> Bool {
        await current().waitForNewMail(timeout: timeout)
    }
}
