package import Foundation

/// A private Dovecot IMAP server for tests: its own configuration, users, mail and sockets in a temporary
/// directory, listening on free loopback ports; the system's Dovecot service (if any) is not touched.
///
/// Start one per suite or test, deliver mail with ``deliver(_:to:folder:)`` (unseen, as `doveadm save` stores it),
/// point the code under test at `127.0.0.1:`\(``port``) with `security: none` (or ``tlsPort`` / STARTTLS on
/// ``port`` with ``caFile`` when made with `tls: true`), and check what happened with ``flags(user:folder:)`` — all
/// through `doveadm`, independent of the reader under test. ``stop()`` (or releasing the value) ends the server.
///
/// Use it behind `.enabled(if: DovecotPeer.canRun, "needs Dovecot (dovecot-imapd)")`: with
/// `NURTURE_REQUIRE_PEERS=1` a missing Dovecot is a failure instead of a skip.
package final class DovecotPeer: @unchecked Sendable {
    package static let dovecot = "/usr/sbin/dovecot"
    package static let doveadm = "/usr/bin/doveadm"
    /// The user every peer has unless told otherwise, and its password.
    package static let user = "ada@example.test"
    package static let password = "secret"

    /// `true` when Dovecot's server and `doveadm` are installed.
    package static let isInstalled =
        FileManager.default.isExecutableFile(atPath: dovecot) && FileManager.default.isExecutableFile(atPath: doveadm)
    /// Whether suites using the peer run: Dovecot is installed, or peers are required (then a missing one fails).
    package static let canRun = isInstalled || TestTools.peersRequired

    /// The temporary directory holding configuration, mail, sockets and the log.
    package let directory: URL
    /// Plain IMAP on 127.0.0.1 (STARTTLS offered when made with `tls: true`).
    package let port: Int
    /// Implicit TLS (`imaps`) on 127.0.0.1, when made with `tls: true`.
    package let tlsPort: Int?
    /// The test certificate authority's certificate (PEM) that signed the server's, when made with `tls: true`.
    package let caFile: String?
    /// The configuration file, for `doveadm -c`.
    package let configFile: URL
    private var process: Process?

    /// Writes a configuration for `users` (address → password) and starts Dovecot. With `tls`, makes a throwaway
    /// CA and a server certificate for `localhost` and `127.0.0.1`, and adds an `imaps` listener. `mechanisms` are
    /// the SASL mechanisms offered (Dovecot checks an `xoauth2` / `oauthbearer` token as the user's password).
    package init(
        users: [String: String] = [DovecotPeer.user: DovecotPeer.password], tls: Bool = false,
        mechanisms: String = "plain login"
    ) throws {
        guard Self.isInstalled else { throw DovecotPeerError.missing }
        directory = try TestTools.makeTemporaryDirectory("dovecot")
        configFile = directory.appendingPathComponent("dovecot.conf")
        let mail = directory.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        let account = try DovecotAccount.current()
        try account.own(mail)
        let passwd = users.sorted { $0.key < $1.key }.map { "\($0.key):{PLAIN}\($0.value)" }.joined(separator: "\n")
        try Data((passwd + "\n").utf8).write(to: directory.appendingPathComponent("passwd"))
        caFile = tls ? try DovecotCertificates.make(in: directory) : nil
        var lastError: any Error = DovecotPeerError.notListening(log: "")
        var started: (process: Process, port: Int, tlsPort: Int?)?
        for _ in 0..<5 where started == nil {
            let ports = (try LoopbackPorts.find(), tls ? try LoopbackPorts.find() : nil)
            let config = DovecotConfig(
                directory: directory.path, account: account, port: ports.0, tlsPort: ports.1,
                withCertificates: tls, mechanisms: mechanisms)
            try Data(config.text.utf8).write(to: configFile)
            do {
                started = (try Self.launch(configFile, port: ports.0, directory: directory), ports.0, ports.1)
            } catch { lastError = error }
        }
        guard let started else { throw lastError }
        process = started.process
        port = started.port
        tlsPort = started.tlsPort
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts Dovecot again after ``stop()``, on the same ports with the same mail.
    package func restart() throws { process = try Self.launch(configFile, port: port, directory: directory) }

    /// Stops Dovecot (SIGTERM) and waits until it has exited (about a second), SIGKILL after ten.
    package func stop() {
        guard let process else { return }
        Self.terminate(process)
        self.process = nil
    }

    /// Delivers `message` unseen into `folder` of `user` (`doveadm save`; the folder is created when missing).
    package func deliver(_ message: [UInt8], to user: String = DovecotPeer.user, folder: String = "INBOX") throws {
        try deliver([message], to: user, folder: folder)
    }

    /// Delivers `messages` in order (ascending UIDs), from one shell loop: about 20 ms a message.
    package func deliver(_ messages: [[UInt8]], to user: String = DovecotPeer.user, folder: String = "INBOX") throws {
        let batch = directory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: batch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: batch) }
        for (index, message) in messages.enumerated() {
            try Data(message).write(to: batch.appendingPathComponent(String(format: "%06d.eml", index)))
        }
        if folder != "INBOX" { _ = try? doveadm(["mailbox", "create", "-u", user, folder]) }
        let script = #"for f in "$1"/*.eml; do "$2" -c "$3" save -u "$4" -m "$5" < "$f" || exit 1; done"#
        try Self.run("/bin/bash", ["-c", script, "deliver", batch.path, Self.doveadm, configFile.path, user, folder])
    }

    /// Each message's flags by UID (`\Seen`, `$NurtureProcessed`; `\Recent` left out), read with `doveadm fetch`.
    package func flags(user: String = DovecotPeer.user, folder: String = "INBOX") throws -> [UInt32: Set<String>] {
        let output = try doveadm(["fetch", "-u", user, "uid flags", "mailbox", folder, "all"])
        var result: [UInt32: Set<String>] = [:]
        var uid: UInt32?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("uid: ") {
                uid = UInt32(line.dropFirst(5))
            } else if line.hasPrefix("flags:"), let current = uid {
                result[current] = Set(line.dropFirst(6).split(separator: " ").map(String.init)).subtracting(["\\Recent"]
                )
            }
        }
        return result
    }

    /// The folder's UIDs in use, ascending.
    package func uids(user: String = DovecotPeer.user, folder: String = "INBOX") throws -> [UInt32] {
        try flags(user: user, folder: folder).keys.sorted()
    }

    /// The folder's UIDVALIDITY, UIDNEXT and message count, read with `doveadm mailbox status`.
    package func status(user: String = DovecotPeer.user, folder: String = "INBOX") throws
        -> (uidValidity: UInt32, uidNext: UInt32, messages: Int)
    {
        let output = try doveadm(["mailbox", "status", "-u", user, "uidvalidity uidnext messages", folder])
        var values: [String: String] = [:]
        for word in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        guard let validity = values["uidvalidity"].flatMap({ UInt32($0) }),
            let next = values["uidnext"].flatMap({ UInt32($0) }), let messages = values["messages"].flatMap({ Int($0) })
        else { throw DovecotPeerError.command("doveadm mailbox status", output) }
        return (validity, next, messages)
    }

    /// Adds `flag` (e.g. `\Seen`) to message `uid`.
    package func addFlag(_ flag: String, uid: UInt32, user: String = DovecotPeer.user, folder: String = "INBOX") throws
    {
        try doveadm(["flags", "add", "-u", user, flag, "mailbox", folder, "uid", String(uid)])
    }

    /// Expunges message `uid` (as a mail client deleting it would).
    package func expunge(uid: UInt32, user: String = DovecotPeer.user, folder: String = "INBOX") throws {
        try doveadm(["expunge", "-u", user, "mailbox", folder, "uid", String(uid)])
    }

    /// Gives the folder a new UIDVALIDITY (as a server rebuilding its index would): every UID a client kept is void.
    package func changeUIDValidity(
        to value: UInt32, user: String = DovecotPeer.user, folder: String = "INBOX"
    ) throws {
        try doveadm(["mailbox", "update", "-u", user, "--uid-validity", String(value), folder])
    }

    /// Writes `password` to a file readable only by its owner (for a configuration's password file).
    package func passwordFile(_ password: String = DovecotPeer.password) throws -> URL {
        let url = directory.appendingPathComponent("password-\(UUID().uuidString)")
        try Data(password.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return url
    }

    /// The server's log (logins, errors), for a failing test's message.
    package func log() -> String {
        (try? String(contentsOf: directory.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
    }

    /// Runs `doveadm -c <config> arguments` and returns its output.
    @discardableResult
    package func doveadm(_ arguments: [String]) throws -> String {
        try Self.run(Self.doveadm, ["-c", configFile.path] + arguments)
    }

    /// Starts `dovecot -F -c config` and waits until it listens on `port`; stops it again when it does not.
    private static func launch(_ config: URL, port: Int, directory: URL) throws -> Process {
        let process = Process()
        // Foundation's Process hands the test thread's blocked signals (SIGTERM among them) to the child, and Dovecot
        // keeps that mask: `env --default-signal` unblocks and resets them all before exec, so SIGTERM stops it.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal", dovecot, "-F", "-c", config.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard LoopbackPorts.waitUntilListening(port, process: process) else {
            terminate(process)
            let log = try? String(contentsOf: directory.appendingPathComponent("dovecot.log"), encoding: .utf8)
            throw DovecotPeerError.notListening(log: log ?? "")
        }
        return process
    }

    /// SIGTERM, then waits for the exit (Dovecot takes about a second), SIGKILL after ten. A logged-in session's
    /// `imap` process outlives the master and would keep answering a client's open connection, so whatever is left
    /// of the master's process group (it leads its own) is killed too: clients see the connection drop, as when a
    /// real server goes down.
    ///
    /// The exit is read from `/proc` (a zombie counts): Foundation may notice a child's exit only seconds later.
    private static func terminate(_ process: Process) {
        let group = process.processIdentifier
        guard group > 0, !hasExited(group) else { return }
        kill(group, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while !hasExited(group), ContinuousClock.now < deadline { usleep(20_000) }
        if !hasExited(group) { kill(group, SIGKILL) }
        // Foundation starts the child as the leader of a new process group; its id stays reserved while members live.
        kill(-group, SIGKILL)
    }

    /// Whether process `pid` is gone or a zombie (`/proc/PID/stat` state `Z`).
    private static func hasExited(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state == "Z" || state == "X"
    }

    /// Runs a command, returning its standard output; throws with its output when it fails.
    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw DovecotPeerError.command(([executable] + arguments).joined(separator: " "), text)
        }
        return text
    }
}

/// Why the Dovecot peer could not do what a test asked.
package enum DovecotPeerError: Error, CustomStringConvertible {
    case missing
    case notListening(log: String)
    case command(String, String)

    package var description: String {
        switch self {
        case .missing: return "Dovecot is not installed (Debian package dovecot-imapd; run scripts/install-deps.sh)"
        case .notListening(let log): return "Dovecot did not start listening; its log:\n\(log)"
        case .command(let command, let output): return "\(command) failed: \(output)"
        }
    }
}
