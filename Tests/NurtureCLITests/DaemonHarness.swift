import Foundation

/// Runs the real `nurture run` against a real capturing SMTP server (aiosmtpd, `Tests/Support/smtp_peer.py`)
/// with a configuration whose delays are seconds, for end-to-end tests.
final class DaemonHarness: @unchecked Sendable {
    let root: URL
    let capture: URL
    let configFile: URL
    let peer: CLIPeer
    /// The bearer token the daemon's HTTP API accepts (name `e2e`).
    let apiToken: String
    private(set) var daemon: Process?
    private var daemonLog: URL { root.appendingPathComponent("daemon.log") }

    /// Condition for the end-to-end suites: run when aiosmtpd is there, or when CI demands it (then fail loudly).
    static let shouldRun = CLIPeer.available || CLIPeer.required

    /// Copies config and templates into a temporary folder, starts the peer, and writes `config/e2e.yaml`:
    /// the demo configuration with the given step delays (by step id), the relay on the peer's port, and
    /// `scheduling` in place of the demo's scheduling section.
    init(delays: [String: String] = [:], scheduling: String = "") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["config", "templates"] {
            try FileManager.default.copyItem(
                at: CLIRunner.packageRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        peer = try CLIPeer()
        capture = peer.captureDirectory
        var text = try String(
            contentsOf: root.appendingPathComponent("config/demo.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "port: 2525", with: "port: \(peer.port)")
        text = text.replacingOccurrences(of: "directory: ../state/demo", with: "directory: ../state")
        // HTTP on a port the kernel picks (tests run side by side), with a token file only the owner can read.
        apiToken = (0..<3).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined()
        let tokens = root.appendingPathComponent("config/api-tokens").path
        _ = FileManager.default.createFile(
            atPath: tokens, contents: Data("e2e \(apiToken)\n".utf8), attributes: [.posixPermissions: 0o600])
        text = text.replacingOccurrences(of: "listen: 127.0.0.1:8470", with: "listen: 127.0.0.1:0")
        text = text.replacingOccurrences(of: "../state/demo-api-tokens", with: "api-tokens")
        for (step, delay) in delays {
            let pattern = "(- id: \(NSRegularExpression.escapedPattern(for: step))\\n\\s+delay: )\\S+"
            let regex = try NSRegularExpression(pattern: pattern)
            text = regex.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1\(delay)")
        }
        if !scheduling.isEmpty, let section = text.range(of: "\nscheduling:") {
            text = String(text[..<section.lowerBound])  // demo.yaml ends with its own scheduling section
        }
        text += "\n" + scheduling + "\n"
        configFile = root.appendingPathComponent("config/e2e.yaml")
        try text.write(to: configFile, atomically: true, encoding: .utf8)
    }

    deinit {
        stopAll()
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs a `nurture` command against the e2e configuration.
    func nurture(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--config", configFile.path], in: root)
    }

    /// Replaces what matches the regular expression `pattern` in the e2e configuration (e.g. `pool_size: \d+`).
    func editConfiguration(_ pattern: String, with replacement: String) throws {
        let text = try String(contentsOf: configFile, encoding: .utf8)
        let changed = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        guard changed != text else { throw CLIRunnerError.textNotFound(pattern, configFile.path) }
        try changed.write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// The peer's `events.log` lines (connections, MAIL commands, transactions cut off after the 354).
    func peerEvents() -> [String] {
        let text = (try? String(contentsOf: capture.appendingPathComponent("events.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Starts `nurture run` in the background (with `arguments` added, e.g. `--stop-timeout`); its stderr is
    /// appended to `daemon.log`.
    func startDaemon(environment extra: [String: String] = [:], arguments: [String] = []) throws {
        guard let binary = CLIRunner.binary else { throw CLIRunnerError.binaryNotFound }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--config", configFile.path, "--log-level", "debug"] + arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "STATE_DIRECTORY")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        if !FileManager.default.fileExists(atPath: daemonLog.path) {
            _ = FileManager.default.createFile(atPath: daemonLog.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: daemonLog)
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        daemon = process
    }

    /// Sends `signal` to the daemon.
    func signalDaemon(_ signal: Int32) {
        guard let daemon, daemon.isRunning else { return }
        kill(daemon.processIdentifier, signal)
    }

    /// Waits for the daemon to exit; kills it after `timeout`. Returns its exit status.
    @discardableResult
    func waitForDaemonExit(timeout: TimeInterval = 20) -> Int32? {
        guard let daemon else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while daemon.isRunning, Date() < deadline { usleep(20_000) }
        if daemon.isRunning {
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
            return nil
        }
        daemon.waitUntilExit()
        return daemon.terminationStatus
    }

    /// `http://127.0.0.1:PORT` once the daemon logged `http_listening`, else `nil`.
    var httpBase: String? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("http_listening") }),
            let range = line.range(of: #"address=\S+"#, options: .regularExpression)
        else { return nil }
        return "http://" + line[range].dropFirst("address=".count)
    }

    /// Waits for the daemon's HTTP listener (at most `timeout`) and returns its base URL.
    func waitForHTTP(timeout: TimeInterval = 20) throws -> String {
        var base: String?
        _ = wait(timeout: timeout) {
            base = httpBase
            return base != nil
        }
        guard let base else { throw CLIRunnerError.daemonDidNotListen(log) }
        return base
    }

    /// The daemon's log so far.
    var log: String { (try? String(contentsOf: daemonLog, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds (checked every 100 ms) or `timeout` passes; returns whether it held.
    func wait(timeout: TimeInterval, until condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    /// Every message the peer captured, in arrival order.
    func captured() -> [CapturedMail] {
        let names =
            ((try? FileManager.default.contentsOfDirectory(atPath: capture.path)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: capture.appendingPathComponent(name).path) else {
                return nil
            }
            return CapturedMail(bytes: data)
        }
    }

    func stopAll() {
        if let daemon, daemon.isRunning {
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        peer.stop()
    }
}

/// A captured message's headers, parsed just enough for assertions.
struct CapturedMail {
    let bytes: Data
    let headers: [String: String]

    init(bytes: Data) {
        self.bytes = bytes
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        var headers: [String: String] = [:]
        var last: String?
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last {
                headers[last, default: ""] += line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            last = name
        }
        self.headers = headers
    }

    var from: String { headers["from"] ?? "" }
    var to: String { headers["to"] ?? "" }
    var messageID: String { headers["message-id"] ?? "" }
    var subject: String { headers["subject"] ?? "" }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
