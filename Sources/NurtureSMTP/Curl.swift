// The only file that touches libcurl's C API. Everything unsafe (raw pointers, C callbacks,
// unmanaged references) stays here; the rest of the module sees `CurlSMTPHandle`, `CurlIMAPHandle` and plain
// values.
internal import CCurl
import Foundation
import NurtureCore

/// What one libcurl SMTP transfer reported, in plain Swift values.
struct CurlTransferResult: Sendable, Equatable {
    /// The `CURLcode` (0 = CURLE_OK).
    var curlCode: Int
    /// libcurl's own explanation of `curlCode` (error buffer, else `curl_easy_strerror`).
    var curlMessage: String
    /// `CURLINFO_RESPONSE_CODE`: the last SMTP reply code libcurl read (0 if none).
    var responseCode: Int
    /// The server's reply lines read during this transfer, without CRLF.
    var replyLines: [String]
    /// For each of ``replyLines``, the SMTP phase it answered (from the commands libcurl sent before it).
    var linePhases: [SMTPPhase] = []
    /// `true` when the body was about to go out and the `beforeBody` hook refused it: nothing of the body was
    /// sent and the transfer was aborted.
    var bodyRefused = false
}

/// Process-wide libcurl set-up, done once: `curl_global_init` and ignoring SIGPIPE
/// (with `CURLOPT_NOSIGNAL` libcurl no longer does that, and a closed socket must not kill the daemon).
enum CurlRuntime {
    /// `true` when libcurl initialised; evaluated once, thread-safely, on first use.
    static let isInitialized: Bool = {
        nurture_ignore_sigpipe()
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    /// The linked libcurl's version text, e.g. `libcurl/7.88.1 OpenSSL/3.0.17 ...`.
    static var versionText: String { String(cString: curl_version()) }
}

/// Buffers shared with libcurl's C callbacks for the life of one easy handle.
private final class TransferBuffers {
    var body: [UInt8] = []
    var offset = 0
    var partialLine: [UInt8] = []
    var lines: [String] = []
    /// The phase each of `lines` answered.
    var phases: [SMTPPhase] = []
    /// The phase of the command libcurl sent last: the phase the next reply answers.
    var phase = SMTPPhase.greeting

    /// Called once, right before the first body byte is handed to the socket (after the server's `354`).
    var beforeBody: (() -> Bool)?
    var bodyStarted = false
    var bodyRefused = false

    func reset(body: [UInt8], beforeBody: (() -> Bool)?) {
        self.body = body
        self.beforeBody = beforeBody
        bodyStarted = false
        bodyRefused = false
        offset = 0
        partialLine.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        phases.removeAll(keepingCapacity: true)
        // A fresh connection starts with the greeting; a reused one with MAIL FROM, which sets the phase.
        phase = .greeting
    }

    /// Keeps a complete reply line with the phase it answers. The `354` that answers DATA means the body goes
    /// next: the reply after it is the verdict on the final dot.
    func append(line: String) {
        lines.append(line)
        phases.append(phase)
        if lines.count > 64 {
            lines.removeFirst(lines.count - 64)
            phases.removeFirst(phases.count - 64)
        }
        if phase == .data, line.hasPrefix("354") { phase = .endOfData }
    }
}

/// Feeds the message to libcurl (CURLOPT_READFUNCTION).
private let readCallback: nurture_curl_io_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let state = Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue()
    // libcurl asks for the body only after the server answered DATA with 354: this is the last moment before any
    // of it leaves, where the transfer journal records `started`.
    if !state.bodyStarted {
        state.bodyStarted = true
        if let hook = state.beforeBody, !hook() {
            state.bodyRefused = true
            return Int(CURL_READFUNC_ABORT)
        }
    }
    let room = size * count
    let remaining = state.body.count - state.offset
    let n = min(room, remaining)
    if n > 0 {
        state.body.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + state.offset, byteCount: n)
        }
        state.offset += n
    }
    return n
}

/// Collects the server's reply lines (libcurl passes SMTP responses to CURLOPT_HEADERFUNCTION).
private let headerCallback: nurture_curl_io_callback = { buffer, size, count, userdata in
    let total = size * count
    guard let buffer, let userdata else { return total }
    let state = Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: buffer, count: total)
    for byte in bytes {
        if byte == UInt8(ascii: "\n") {
            if state.partialLine.last == UInt8(ascii: "\r") { state.partialLine.removeLast() }
            state.append(line: String(decoding: state.partialLine, as: UTF8.self))
            state.partialLine.removeAll(keepingCapacity: true)
        } else if state.partialLine.count < 4096 {
            state.partialLine.append(byte)
        }
    }
    return total
}

/// Follows the SMTP phase from the commands libcurl sends (CURLOPT_DEBUGFUNCTION, type CURLINFO_HEADER_OUT):
/// libcurl does not report which command a refusal answered. Only the command's verb is read; an AUTH line's
/// credentials are neither kept nor copied. Everything else libcurl reports (text, body, TLS data) is ignored.
private let debugCallback: nurture_curl_debug_callback = { _, type, data, size, userdata in
    guard type == CURLINFO_HEADER_OUT, let data, let userdata, size > 0 else { return 0 }
    let state = Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: min(size, 16))
    let verb = String(decoding: bytes.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }, as: UTF8.self)
    if let phase = SMTPPhase.started(byCommand: verb) { state.phase = phase }
    return 0
}

/// One libcurl easy handle and its error buffer: what the SMTP handle and the two IMAP ones share. Subclasses
/// configure it; its deinit closes the cached connection (QUIT or LOGOUT when it is still healthy).
class CurlEasyHandle {
    let handle: UnsafeMutableRawPointer
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    /// `nil` if libcurl is not initialized or could not allocate a handle.
    init?() {
        guard CurlRuntime.isInitialized, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    /// After a failed transfer the connection is dropped; libcurl still says goodbye (QUIT, LOGOUT) and waits for
    /// the reply, up to the whole reply timeout on a server that stopped answering. Cap that wait at two seconds.
    func prepareToDiscard() {
        _ = nurture_curl_setopt_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, 2)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }
}

/// One libcurl easy handle configured for SMTP, with at most one cached connection.
///
/// Not thread-safe: the owner (``SMTPConnection``) uses it from one thread at a time.
final class CurlSMTPHandle: CurlEasyHandle {
    private let buffers = TransferBuffers()

    /// Creates and configures a handle for `configuration`; `nil` if libcurl could not allocate or configure it.
    init?(configuration: RelayConfiguration) {
        super.init()
        guard configure(configuration) else { return nil }
    }

    private func configure(_ configuration: RelayConfiguration) -> Bool {
        let context = Unmanaged.passUnretained(buffers).toOpaque()
        // The URL's path is the EHLO name (libcurl's rule for smtp:// URLs).
        var url = configuration.url
        if let helo = configuration.heloName { url += "/" + helo }
        let security = configuration.security == .plain ? CURLUSESSL_NONE : CURLUSESSL_ALL
        var results: [CURLcode] = [
            nurture_curl_setopt_string(handle, CURLOPT_URL, url),
            nurture_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            nurture_curl_setopt_long(handle, CURLOPT_UPLOAD, 1),
            nurture_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(security.rawValue)),
            nurture_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds),
            nurture_curl_setopt_long(
                handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, configuration.replyTimeout.wholeSeconds)),
            // A stalled upload (server stops reading) ends after the reply timeout too.
            nurture_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
            nurture_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, configuration.replyTimeout.wholeSeconds)),
            nurture_curl_setopt_long(handle, CURLOPT_MAXCONNECTS, 1),
            nurture_curl_setopt_long(handle, CURLOPT_MAXAGE_CONN, 60),
            nurture_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1),
            nurture_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            nurture_curl_setopt_io_callback(handle, CURLOPT_READFUNCTION, readCallback),
            nurture_curl_setopt_pointer(handle, CURLOPT_READDATA, context),
            nurture_curl_setopt_io_callback(handle, CURLOPT_HEADERFUNCTION, headerCallback),
            nurture_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
            // The debug callback sees the commands sent, so each reply is tied to its phase; with a debug
            // function set, VERBOSE prints nothing.
            nurture_curl_setopt_debug_callback(handle, debugCallback),
            nurture_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, context),
            nurture_curl_setopt_long(handle, CURLOPT_VERBOSE, 1),
        ]
        if let username = configuration.username {
            results.append(nurture_curl_setopt_string(handle, CURLOPT_USERNAME, username))
            results.append(nurture_curl_setopt_string(handle, CURLOPT_PASSWORD, configuration.password?.value ?? ""))
        }
        if let caFile = configuration.caFile {
            results.append(nurture_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        return results.allSatisfy { $0 == CURLE_OK }
    }

    /// Sends `body` from `sender` to the single `recipient` (both already-validated mailbox strings).
    /// Blocks until the server's final reply, an error, or a timeout. `beforeBody` is called once right before the
    /// first body byte goes out; returning `false` aborts the transfer with nothing of the body sent.
    func send(
        sender: String, recipient: String, body: [UInt8], beforeBody: (() -> Bool)? = nil
    ) -> CurlTransferResult {
        buffers.reset(body: body, beforeBody: beforeBody)
        errorBuffer[0] = 0
        guard let recipients = curl_slist_append(nil, "<\(recipient)>") else {
            return CurlTransferResult(
                curlCode: Int(CURLE_OUT_OF_MEMORY.rawValue), curlMessage: "out of memory", responseCode: 0,
                replyLines: [])
        }
        defer { curl_slist_free_all(recipients) }
        var code = nurture_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>")
        if code == CURLE_OK { code = nurture_curl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, recipients) }
        if code == CURLE_OK { code = curl_easy_perform(handle) }
        var responseCode = 0
        _ = nurture_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        if buffers.partialLine.count > 0 {
            buffers.append(line: String(decoding: buffers.partialLine, as: UTF8.self))
        }
        let explanation = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        return CurlTransferResult(
            curlCode: Int(code.rawValue), curlMessage: explanation, responseCode: responseCode,
            replyLines: buffers.lines, linePhases: buffers.phases, bodyRefused: buffers.bodyRefused)
    }
}

/// What one libcurl IMAP transfer reported, in plain Swift values.
struct CurlIMAPResult: Sendable, Equatable {
    /// The `CURLcode` (0 = CURLE_OK).
    var curlCode: Int
    /// libcurl's own explanation of `curlCode` (error buffer, else `curl_easy_strerror`).
    var curlMessage: String
    /// What libcurl passed to the write callback: a fetched message's bytes, or a custom command's untagged
    /// replies (`* STATUS ...`, `* SEARCH ...`, `* 3 FETCH (...)`).
    var body: [UInt8]
    /// The server's other lines (greeting, capabilities, tagged replies), without CRLF; the last 64.
    var replyLines: [String]
    /// The verb of the last command libcurl sent (`SELECT`, `AUTHENTICATE`, `UID`...): tells a refused login from
    /// a refused folder, which libcurl 7.88 both reports as CURLE_LOGIN_DENIED.
    var lastCommand: String
    /// `true` when the body grew past the transfer's limit and the transfer was aborted.
    var bodyTooLarge: Bool
}

/// Buffers shared with an IMAP handle's C callbacks.
private final class IMAPBuffers {
    var body: [UInt8] = []
    var bodyLimit = Int.max
    var bodyTooLarge = false
    var partialLine: [UInt8] = []
    var lines: [String] = []
    var lastCommand = ""

    func reset(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
        body.removeAll(keepingCapacity: true)
        bodyTooLarge = false
        partialLine.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        lastCommand = ""
    }

    func append(line: String) {
        lines.append(line)
        if lines.count > 64 { lines.removeFirst(lines.count - 64) }
    }
}

/// Collects a fetched message or a custom command's untagged replies (CURLOPT_WRITEFUNCTION), up to the limit:
/// beyond it the transfer is aborted (returning less than given makes libcurl stop with CURLE_WRITE_ERROR).
private let imapWriteCallback: nurture_curl_io_callback = { buffer, size, count, userdata in
    let total = size * count
    guard let buffer, let userdata else { return total }
    let state = Unmanaged<IMAPBuffers>.fromOpaque(userdata).takeUnretainedValue()
    guard state.body.count + total <= state.bodyLimit else {
        state.bodyTooLarge = true
        return 0
    }
    state.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: total))
    return total
}

/// Collects the server's status lines (CURLOPT_HEADERFUNCTION).
private let imapHeaderCallback: nurture_curl_io_callback = { buffer, size, count, userdata in
    let total = size * count
    guard let buffer, let userdata else { return total }
    let state = Unmanaged<IMAPBuffers>.fromOpaque(userdata).takeUnretainedValue()
    for byte in UnsafeRawBufferPointer(start: buffer, count: total) {
        if byte == UInt8(ascii: "\n") {
            if state.partialLine.last == UInt8(ascii: "\r") { state.partialLine.removeLast() }
            state.append(line: String(decoding: state.partialLine, as: UTF8.self))
            state.partialLine.removeAll(keepingCapacity: true)
        } else if state.partialLine.count < 4096 {
            state.partialLine.append(byte)
        }
    }
    return total
}

/// Notes the verb of each command libcurl sends (CURLINFO_HEADER_OUT: `A003 SELECT INBOX`). Only the word after
/// the tag is read: a login's or SASL continuation's credentials are neither kept nor copied.
private let imapDebugCallback: nurture_curl_debug_callback = { _, type, data, size, userdata in
    guard type == CURLINFO_HEADER_OUT, let data, let userdata, size > 0 else { return 0 }
    let state = Unmanaged<IMAPBuffers>.fromOpaque(userdata).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: min(size, 32))
    let words = bytes.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
    // A SASL continuation is one base64 word: no verb, nothing to note.
    guard words.count >= 2 else { return 0 }
    let verb = words[1].prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
    state.lastCommand = String(decoding: verb, as: UTF8.self).uppercased()
    return 0
}

/// What an IMAP handle needs to connect and log in; the mailbox reader builds it from its settings.
struct CurlIMAPLogin {
    var username: String
    var password: String?
    var bearerToken: String?
    /// `true` for `imap://` upgraded with STARTTLS (required).
    var requireStartTLS: Bool
    var caFile: String?
    var connectTimeout: Duration
    var commandTimeout: Duration
}

/// One libcurl easy handle for IMAP, keeping at most one connection (logged in, a folder selected) between
/// transfers to the same server.
///
/// Not thread-safe: the owner (``IMAPMailbox``) uses it from its one serial queue.
final class CurlIMAPHandle: CurlEasyHandle {
    private let buffers = IMAPBuffers()

    /// Creates and configures a handle; `nil` if libcurl could not allocate it or refused a setting.
    init?(login: CurlIMAPLogin) {
        super.init()
        guard configure(login) else { return nil }
    }

    private func configure(_ login: CurlIMAPLogin) -> Bool {
        let context = Unmanaged.passUnretained(buffers).toOpaque()
        let commandSeconds = max(1, login.commandTimeout.wholeSeconds)
        let results: [CURLcode] =
            imapLoginOptions(handle, login, errorBuffer: errorBuffer) + [
                // A transfer that stalls (the server stops sending) ends after the command timeout too.
                nurture_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
                nurture_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, commandSeconds),
                // Long untagged replies (a window of SEARCH results) are clipped at half the receive buffer.
                nurture_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, 512 * 1024),
                nurture_curl_setopt_long(handle, CURLOPT_MAXCONNECTS, 1),
                nurture_curl_setopt_long(handle, CURLOPT_MAXAGE_CONN, 60),
                nurture_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1),
                nurture_curl_setopt_io_callback(handle, CURLOPT_WRITEFUNCTION, imapWriteCallback),
                nurture_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
                nurture_curl_setopt_io_callback(handle, CURLOPT_HEADERFUNCTION, imapHeaderCallback),
                nurture_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
                nurture_curl_setopt_debug_callback(handle, imapDebugCallback),
                nurture_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, context),
                nurture_curl_setopt_long(handle, CURLOPT_VERBOSE, 1),
            ]
        return results.allSatisfy { $0 == CURLE_OK }
    }

    /// Runs one transfer on `url`: the custom `command` when given (its untagged replies land in
    /// ``CurlIMAPResult/body``), else the URL's own fetch (a message by `;UID=`). Blocks until done or timed out.
    /// The body is capped at `bodyLimit` bytes.
    func perform(url: String, command: String?, bodyLimit: Int) -> CurlIMAPResult {
        buffers.reset(bodyLimit: bodyLimit)
        errorBuffer[0] = 0
        var code = nurture_curl_setopt_string(handle, CURLOPT_URL, url)
        if code == CURLE_OK {
            code =
                if let command {
                    nurture_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, command)
                } else {
                    nurture_curl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, nil)
                }
        }
        if code == CURLE_OK { code = curl_easy_perform(handle) }
        if buffers.partialLine.count > 0 {
            buffers.append(line: String(decoding: buffers.partialLine, as: UTF8.self))
        }
        let explanation = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        return CurlIMAPResult(
            curlCode: Int(code.rawValue), curlMessage: explanation, body: buffers.body, replyLines: buffers.lines,
            lastCommand: buffers.lastCommand, bodyTooLarge: buffers.bodyTooLarge)
    }
}

/// Options every IMAP handle shares: protocol, TLS and its verification, timeouts, credentials.
private func imapLoginOptions(
    _ handle: UnsafeMutableRawPointer, _ login: CurlIMAPLogin, errorBuffer: UnsafeMutablePointer<CChar>
) -> [CURLcode] {
    let commandSeconds = max(1, login.commandTimeout.wholeSeconds)
    var results: [CURLcode] = [
        nurture_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "imap,imaps"),
        nurture_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
        nurture_curl_setopt_long(
            handle, CURLOPT_USE_SSL, Int((login.requireStartTLS ? CURLUSESSL_ALL : CURLUSESSL_NONE).rawValue)),
        nurture_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
        nurture_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
        nurture_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, login.connectTimeout.milliseconds)),
        nurture_curl_setopt_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, commandSeconds),
        nurture_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
        nurture_curl_setopt_string(handle, CURLOPT_USERNAME, login.username),
    ]
    if let token = login.bearerToken {
        // libcurl 7.88 logs in with OAUTHBEARER when the server offers it, else XOAUTH2; both carry the token.
        results.append(nurture_curl_setopt_string(handle, CURLOPT_XOAUTH2_BEARER, token))
    } else {
        results.append(nurture_curl_setopt_string(handle, CURLOPT_PASSWORD, login.password ?? ""))
    }
    if let caFile = login.caFile {
        results.append(nurture_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
    }
    return results
}

/// A logged-in IMAP connection that libcurl only opens (CURLOPT_CONNECT_ONLY), for the one thing libcurl cannot do:
/// IDLE. Raw lines go over it with `curl_easy_send` / `curl_easy_recv` (TLS included).
///
/// Not thread-safe: used from one thread at a time.
final class CurlIMAPRawConnection: CurlEasyHandle {
    /// What one read brought.
    enum Read: Equatable {
        case line(String)
        case timedOut
        case closed
    }

    private var pending: [UInt8] = []

    /// Creates and configures a handle; `nil` if libcurl could not allocate it or refused a setting.
    init?(login: CurlIMAPLogin) {
        super.init()
        let results =
            imapLoginOptions(handle, login, errorBuffer: errorBuffer) + [
                nurture_curl_setopt_long(handle, CURLOPT_CONNECT_ONLY, 1)
            ]
        guard results.allSatisfy({ $0 == CURLE_OK }) else { return nil }
    }

    deinit {
        // libcurl logs out on its own (in the base's cleanup); a server that stopped answering delays that by two
        // seconds at most.
        prepareToDiscard()
    }

    /// Connects to `url` (the server URL), secures the connection and logs in; `nil` when that worked, else what
    /// failed (its `lastCommand` is empty: a 67 here is a refused login).
    func open(url: String) -> CurlIMAPResult? {
        errorBuffer[0] = 0
        var code = nurture_curl_setopt_string(handle, CURLOPT_URL, url)
        if code == CURLE_OK { code = curl_easy_perform(handle) }
        guard code != CURLE_OK else { return nil }
        let explanation = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        return CurlIMAPResult(
            curlCode: Int(code.rawValue), curlMessage: explanation, body: [], replyLines: [], lastCommand: "",
            bodyTooLarge: false)
    }

    /// Sends `line` plus CRLF (the caller built it from checked parts); `false` when the connection failed.
    func send(_ line: String) -> Bool {
        let bytes = Array((line + "\r\n").utf8)
        var offset = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while offset < bytes.count {
            var sent = 0
            let code = bytes.withUnsafeBytes { raw in
                curl_easy_send(handle, raw.baseAddress! + offset, bytes.count - offset, &sent)
            }
            if code == CURLE_AGAIN {
                guard ContinuousClock.now < deadline, wait(events: Int16(POLLOUT), milliseconds: 250) != nil else {
                    return false
                }
                continue
            }
            guard code == CURLE_OK else { return false }
            offset += sent
        }
        return true
    }

    /// The next line the server sends (without CRLF), waiting until `deadline`; `stop` is asked every quarter second.
    func readLine(until deadline: ContinuousClock.Instant, stop: () -> Bool) -> Read {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<end])
                pending.removeSubrange(...end)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            var received = 0
            let code = buffer.withUnsafeMutableBytes { raw in
                curl_easy_recv(handle, raw.baseAddress!, raw.count, &received)
            }
            if code == CURLE_AGAIN {
                let left = deadline - ContinuousClock.now
                if left <= .zero || stop() { return .timedOut }
                guard wait(events: Int16(POLLIN), milliseconds: min(250, max(1, left.milliseconds))) != nil else {
                    return .closed
                }
                continue
            }
            guard code == CURLE_OK, received > 0 else { return .closed }
            // A line longer than 64 KiB is no reply worth reading whole: keep its end.
            pending.append(contentsOf: buffer[0..<received])
            if pending.count > 1 << 16 { pending.removeFirst(pending.count - (1 << 16)) }
        }
    }

    /// Waits for `events` on the connection's socket; `nil` when the socket is unusable.
    private func wait(events: Int16, milliseconds: Int) -> Int32? {
        var socket: curl_socket_t = -1
        guard nurture_curl_getinfo_socket(handle, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK, socket >= 0 else {
            return nil
        }
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        let ready = poll(&descriptor, 1, Int32(milliseconds))
        return ready < 0 && errno != EINTR ? nil : ready
    }
}

extension Duration {
    /// Whole milliseconds, for libcurl's `long` options.
    fileprivate var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// Whole seconds, rounded up, for libcurl's `long` options.
    fileprivate var wholeSeconds: Int { (milliseconds + 999) / 1000 }
}
