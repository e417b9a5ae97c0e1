import NurtureSMTP
import Synchronization

/// An in-memory mailbox for the watcher's unit tests (the end-to-end tests use a real Dovecot): messages by UID with
/// their flags, a UIDVALIDITY that can change, and failures to inject.
final class FakeMailbox: MailboxReader {
    struct Stored {
        var bytes: [UInt8]
        var seen = false
        var processed = false
    }

    private struct State {
        var uidValidity: UInt32 = 1
        var nextUID: UInt32 = 1
        var messages: [UInt32: Stored] = [:]
        /// Every call fails with this while set.
        var failure: MailboxError?
        /// Fetches of these UIDs fail with these errors.
        var fetchFailures: [UInt32: MailboxError] = [:]
        var fetches: [UInt32] = []
    }

    private let state = Mutex(State())

    /// Delivers a message; returns its UID.
    @discardableResult
    func deliver(_ text: String, seen: Bool = false) -> UInt32 {
        state.withLock { state in
            let uid = state.nextUID
            state.nextUID += 1
            state.messages[uid] = Stored(bytes: Array(text.utf8), seen: seen)
            return uid
        }
    }

    /// Renumbers the folder: a new UIDVALIDITY and new UIDs from 1, keeping the flags.
    func renumber() {
        state.withLock { state in
            state.uidValidity += 1
            let old = state.messages.sorted { $0.key < $1.key }.map(\.value)
            state.messages = [:]
            state.nextUID = 1
            for message in old {
                state.messages[state.nextUID] = message
                state.nextUID += 1
            }
        }
    }

    func fail(_ error: MailboxError?) { state.withLock { $0.failure = error } }
    func failFetch(_ uid: UInt32, _ error: MailboxError) { state.withLock { $0.fetchFailures[uid] = error } }
    var fetches: [UInt32] { state.withLock { $0.fetches } }
    func message(_ uid: UInt32) -> Stored? { state.withLock { $0.messages[uid] } }

    func status() async throws(MailboxError) -> MailboxStatus {
        let result = state.withLock { state -> Result<MailboxStatus, MailboxError> in
            if let failure = state.failure { return .failure(failure) }
            return .success(
                MailboxStatus(
                    uidValidity: state.uidValidity, uidNext: state.nextUID, messages: state.messages.count,
                    unseen: state.messages.values.filter { !$0.seen }.count))
        }
        return try result.get()
    }

    func uids(after: UInt32, limit: Int) async throws(MailboxError) -> [UInt32] {
        let result = state.withLock { state -> Result<[UInt32], MailboxError> in
            if let failure = state.failure { return .failure(failure) }
            return .success(Array(state.messages.keys.filter { $0 > after }.sorted().prefix(limit)))
        }
        return try result.get()
    }

    func fetch(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) -> FetchedMessage {
        let result = state.withLock { state -> Result<FetchedMessage, MailboxError> in
            if let failure = state.failure { return .failure(failure) }
            if let failure = state.fetchFailures[uid] { return .failure(failure) }
            guard uidValidity == state.uidValidity else { return .failure(MailboxError(.uidValidityChanged, "")) }
            guard let message = state.messages[uid] else { return .failure(MailboxError(.missing, "no UID \(uid)")) }
            state.fetches.append(uid)
            return .success(
                FetchedMessage(
                    uid: uid, bytes: message.bytes, wasSeen: message.seen, wasProcessed: message.processed))
        }
        return try result.get()
    }

    func markProcessed(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) {
        let result = state.withLock { state -> Result<Void, MailboxError> in
            if let failure = state.failure { return .failure(failure) }
            guard uidValidity == state.uidValidity else { return .failure(MailboxError(.uidValidityChanged, "")) }
            state.messages[uid]?.processed = true
            return .success(())
        }
        try result.get()
    }
}
