/// How to reach one watched mailbox over IMAP (libcurl).
package struct MailboxSettings: Sendable, Equatable {
    /// How the connection is protected. `none` is allowed only to a loopback host (tests, a local Dovecot).
    package enum Security: String, Sendable, Equatable, CaseIterable {
        /// Implicit TLS (`imaps://`, port 993).
        case tls
        /// `imap://` upgraded with STARTTLS, required (port 143).
        case starttls
        /// Clear text: loopback only.
        case none
    }

    /// The operator's name for it (`marketing`, `priya`): the key of its cursor, log lines and metrics.
    package var name: String
    package var host: String
    package var port: Int
    /// The folder to watch (`INBOX`).
    package var folder: String
    package var security: Security
    package var username: String
    /// The password (or app password), read from a file or a systemd credential. Never logged.
    package var password: Secret?
    /// An OAuth 2 bearer token (`CURLOPT_XOAUTH2_BEARER`) for hosted mailboxes, instead of a password.
    package var bearerToken: Secret?
    /// A private certificate authority's bundle, when the server's certificate is not publicly trusted.
    package var caFile: String?
    package var connectTimeout: Duration
    /// The longest one IMAP command may take.
    package var commandTimeout: Duration
    /// The keyword set on every processed message (`$NurtureProcessed`). Messages are never deleted.
    package var keyword: String
    /// How many UIDs one search window covers.
    package var window: Int
    /// Messages larger than this are not fetched whole (read as unrelated, with the reason logged).
    package var maxMessageBytes: Int

    package init(
        name: String, host: String, port: Int, folder: String = "INBOX", security: Security = .tls,
        username: String, password: Secret? = nil, bearerToken: Secret? = nil, caFile: String? = nil,
        connectTimeout: Duration = .seconds(30), commandTimeout: Duration = .seconds(60),
        keyword: String = "$NurtureProcessed", window: Int = 200, maxMessageBytes: Int = 10 << 20
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.folder = folder
        self.security = security
        self.username = username
        self.password = password
        self.bearerToken = bearerToken
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.keyword = keyword
        self.window = window
        self.maxMessageBytes = maxMessageBytes
    }
}

/// A mailbox's numbering and size (`STATUS`).
package struct MailboxStatus: Sendable, Hashable {
    package var uidValidity: UInt32
    package var uidNext: UInt32
    package var messages: Int
    package var unseen: Int

    package init(uidValidity: UInt32, uidNext: UInt32, messages: Int, unseen: Int) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messages = messages
        self.unseen = unseen
    }
}

/// One message fetched whole. Fetching marked it `\Seen`; when it was unseen before, the reader has already
/// restored that, so the owner's inbox looks untouched.
package struct FetchedMessage: Sendable, Hashable {
    package var uid: UInt32
    package var bytes: [UInt8]
    /// Whether it was `\Seen` before the fetch.
    package var wasSeen: Bool
    /// Whether it already carries the processed keyword.
    package var wasProcessed: Bool

    package init(uid: UInt32, bytes: [UInt8], wasSeen: Bool, wasProcessed: Bool) {
        self.uid = uid
        self.bytes = bytes
        self.wasSeen = wasSeen
        self.wasProcessed = wasProcessed
    }
}

/// Why a mailbox operation failed, with the server's or libcurl's words. Never contains the password or token.
package struct MailboxError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable {
        /// Cannot connect, TLS failed, timed out: retry with backoff.
        case unreachable
        /// Login refused: fix the credentials (retried, slowly).
        case authentication
        /// The mailbox's UIDVALIDITY is not the one asked for: re-read the status.
        case uidValidityChanged = "uid-validity-changed"
        /// The message is gone (expunged meanwhile).
        case missing
        /// Larger than ``MailboxSettings/maxMessageBytes``.
        case tooLarge = "too-large"
        /// Anything else the server or libcurl said.
        case failed
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { "\(kind): \(message)" }
}

/// Reads one watched mailbox. Implemented over libcurl IMAP by ``IMAPMailbox``; blocking calls run on the
/// reader's own thread, never on Swift's cooperative pool.
package protocol MailboxReader: Sendable {
    /// `STATUS` of the folder: UIDVALIDITY, UIDNEXT, counts.
    func status() async throws(MailboxError) -> MailboxStatus
    /// The UIDs above `after`, ascending, at most `limit` of them (searched in bounded windows).
    func uids(after: UInt32, limit: Int) async throws(MailboxError) -> [UInt32]
    /// Fetches message `uid` whole under `uidValidity`, restoring `\Seen` right away when it was unseen.
    func fetch(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) -> FetchedMessage
    /// Sets the processed keyword on `uid` (never deletes, never changes `\Seen`).
    func markProcessed(uid: UInt32, uidValidity: UInt32) async throws(MailboxError)
}
