import Dispatch

/// Reads one watched mailbox over libcurl IMAP, with the commands ``IMAPCommand`` builds.
///
/// Every libcurl call runs on the mailbox's own serial queue, never on Swift's cooperative pool; one connection
/// (logged in, the folder selected) is kept between calls. After any failure the connection is dropped, and a
/// kept connection the server closed meanwhile (idle logout, restart) is retried once on a fresh one.
///
/// Settings are checked when the first operation runs: a bad host, folder, keyword or credential fails every
/// call with a ``MailboxError`` of kind `failed` that names the setting, before anything connects.
package final class IMAPMailbox: MailboxReader, @unchecked Sendable {
    package let settings: MailboxSettings
    let command: Result<IMAPCommand, MailboxError>
    private let queue: DispatchQueue
    /// Where ``waitForNewMail(timeout:)`` blocks, so a long IDLE never holds up the other calls.
    let idleQueue: DispatchQueue
    /// The widest UID range one `UID SEARCH` covers, whatever the window: its reply must fit half of libcurl's
    /// 512 KiB receive buffer (about 11 bytes per UID).
    static let widestSearch: UInt64 = 20_000

    // Touched only on `queue`.
    private var handle: CurlIMAPHandle?
    private var opened = 0

    package init(settings: MailboxSettings) {
        self.settings = settings
        command = Result { () throws(MailboxError) in try IMAPCommand(settings: settings) }
        queue = DispatchQueue(label: "nurture.imap.\(settings.name)")
        idleQueue = DispatchQueue(label: "nurture.imap.\(settings.name).idle")
    }

    /// How many connections this reader opened so far (a fresh libcurl handle per connection).
    package func connectionsOpened() async -> Int {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: self.opened) } }
    }

    package func status() async throws(MailboxError) -> MailboxStatus {
        try await onQueue { command throws(MailboxError) in try self.readStatus(command) }
    }

    package func uids(after: UInt32, limit: Int) async throws(MailboxError) -> [UInt32] {
        guard limit > 0 else { return [] }
        return try await onQueue { command throws(MailboxError) in
            let status = try self.readStatus(command)
            let end = UInt64(status.uidNext)
            let window = min(UInt64(self.settings.window), Self.widestSearch)
            var span = window
            var found: [UInt32] = []
            var lower = UInt64(after) + 1
            while lower < end, found.count < limit {
                let upper = min(lower + span - 1, end - 1)
                let result = try self.transfer(
                    url: command.folderURL(uidValidity: status.uidValidity),
                    command: command.search(from: UInt32(lower), to: UInt32(upper)), bodyLimit: 1 << 20,
                    action: "searching UIDs \(lower):\(upper)")
                let uids = IMAPResponse.searchUIDs(Self.text(result.body)).filter {
                    (lower...upper).contains(UInt64($0))
                }
                found += uids
                // Sparse numbering (hosted mailboxes skip many UIDs): widen the next range while nothing turns up.
                span = uids.isEmpty ? min(span * 2, max(window, Self.widestSearch)) : window
                lower = upper + 1
            }
            return Array(found.prefix(limit))
        }
    }

    package func fetch(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) -> FetchedMessage {
        try await onQueue { command throws(MailboxError) in
            let flags = try self.readFlags(command, uid: uid, uidValidity: uidValidity)
            let wasSeen = flags.has("\\Seen")
            if let size = flags.size, size > self.settings.maxMessageBytes {
                throw MailboxError(
                    .tooLarge,
                    "\(self.place): UID \(uid) is \(size) bytes, more than the limit of \(self.settings.maxMessageBytes)"
                )
            }
            // Fetching by URL sets \Seen; when the message was unread, clear it again at once, whatever the fetch did.
            let fetched = Result { () throws(MailboxError) in
                try self.transfer(
                    url: command.messageURL(uid: uid, uidValidity: uidValidity), command: nil,
                    bodyLimit: self.settings.maxMessageBytes, action: "fetching UID \(uid)")
            }
            if !wasSeen {
                do throws(MailboxError) {
                    _ = try self.transfer(
                        url: command.folderURL(uidValidity: uidValidity), command: command.restoreUnseen(uid: uid),
                        bodyLimit: 1 << 16, action: "marking UID \(uid) unread again")
                } catch {
                    // A failed fetch's own error says more; a fetched message left read is this error.
                    if case .success = fetched {
                        throw MailboxError(
                            error.kind, "fetched UID \(uid) but could not mark it unread again: \(error.message)")
                    }
                }
            }
            let result: CurlIMAPResult
            do throws(MailboxError) {
                result = try fetched.get()
            } catch  where error.kind == .missing {
                throw try self.missingOrRenumbered(command, uid: uid, uidValidity: uidValidity)
            }
            return FetchedMessage(
                uid: uid, bytes: result.body, wasSeen: wasSeen, wasProcessed: flags.has(command.keyword))
        }
    }

    package func markProcessed(uid: UInt32, uidValidity: UInt32) async throws(MailboxError) {
        try await onQueue { command throws(MailboxError) in
            do throws(MailboxError) {
                _ = try self.transfer(
                    url: command.folderURL(uidValidity: uidValidity), command: command.markProcessed(uid: uid),
                    bodyLimit: 1 << 16, action: "setting \(command.keyword) on UID \(uid)")
            } catch  where error.kind == .missing {
                throw try self.missingOrRenumbered(command, uid: uid, uidValidity: uidValidity)
            }
            let flags = try self.readFlags(command, uid: uid, uidValidity: uidValidity)
            guard flags.has(command.keyword) else {
                throw MailboxError(
                    .failed,
                    "\(self.place): the server did not keep the keyword \(command.keyword) on UID \(uid) (its flags are \(flags.flags.joined(separator: " "))); the folder must allow keywords (PERMANENTFLAGS with \\*)"
                )
            }
        }
    }

    // MARK: On the queue

    private func readStatus(_ command: IMAPCommand) throws(MailboxError) -> MailboxStatus {
        let result = try transfer(url: command.serverURL, command: command.status, bodyLimit: 1 << 16, action: "STATUS")
        guard let status = IMAPResponse.status(Self.text(result.body)) else {
            throw MailboxError(
                .failed,
                "\(place): STATUS gave no UIDVALIDITY, UIDNEXT, MESSAGES and UNSEEN: \(Self.text(result.body).prefix(200))"
            )
        }
        return status
    }

    /// The flags and size of `uid`, read under `uidValidity`.
    private func readFlags(_ command: IMAPCommand, uid: UInt32, uidValidity: UInt32) throws(MailboxError)
        -> IMAPResponse.MessageFlags
    {
        let result: CurlIMAPResult
        do throws(MailboxError) {
            result = try transfer(
                url: command.folderURL(uidValidity: uidValidity), command: command.flags(uid: uid), bodyLimit: 1 << 16,
                action: "reading the flags of UID \(uid)")
        } catch  where error.kind == .missing {
            throw try missingOrRenumbered(command, uid: uid, uidValidity: uidValidity)
        }
        guard let flags = IMAPResponse.messageFlags(Self.text(result.body), uid: uid) else {
            throw MailboxError(.missing, "\(place): UID \(uid) is not in the folder (expunged or moved)")
        }
        return flags
    }

    /// libcurl reports a UIDVALIDITY mismatch and a missing UID alike (CURLcode 78): a fresh STATUS tells which.
    private func missingOrRenumbered(_ command: IMAPCommand, uid: UInt32, uidValidity: UInt32) throws(MailboxError)
        -> MailboxError
    {
        let status = try readStatus(command)
        guard status.uidValidity == uidValidity else {
            return MailboxError(
                .uidValidityChanged,
                "\(place): UIDVALIDITY is now \(status.uidValidity), not \(uidValidity): the folder was renumbered")
        }
        return MailboxError(.missing, "\(place): UID \(uid) is not in the folder (expunged or moved)")
    }

    /// One libcurl transfer on the kept connection (opened when needed).
    private func transfer(url: String, command: String?, bodyLimit: Int, action: String) throws(MailboxError)
        -> CurlIMAPResult
    {
        dispatchPrecondition(condition: .onQueue(queue))
        for attempt in 0..<2 {
            let reused = handle != nil
            if handle == nil {
                handle = CurlIMAPHandle(login: login)
                opened += 1
            }
            guard let handle else {
                throw MailboxError(.failed, "\(place): libcurl could not be initialised or refused the settings")
            }
            let result = handle.perform(url: url, command: command, bodyLimit: bodyLimit)
            if result.curlCode == 0 { return result }
            handle.prepareToDiscard()
            self.handle = nil
            // 52/55/56: the kept connection was closed under us; one more try on a fresh one.
            if reused, attempt == 0, [52, 55, 56].contains(result.curlCode) { continue }
            throw IMAPFailure.error(result, action: action, where: place)
        }
        throw MailboxError(.unreachable, "\(place): \(action) failed twice")
    }

    var login: CurlIMAPLogin {
        CurlIMAPLogin(
            username: settings.username, password: settings.password?.value, bearerToken: settings.bearerToken?.value,
            requireStartTLS: settings.security == .starttls, caFile: settings.caFile,
            connectTimeout: settings.connectTimeout, commandTimeout: settings.commandTimeout)
    }

    /// `mailbox marketing (ada@imap.example.com:993, folder INBOX)`: never the password.
    private var place: String {
        "mailbox \(settings.name) (\(settings.username)@\(settings.host):\(settings.port), folder \(settings.folder))"
    }

    /// Runs `body` on the queue with the checked command parts, resuming the caller when it is done.
    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (IMAPCommand) throws(MailboxError) -> T)
        async throws(MailboxError) -> T
    {
        let command = try command.get()
        let result: Result<T, MailboxError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(MailboxError) in try body(command) })
            }
        }
        return try result.get()
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
