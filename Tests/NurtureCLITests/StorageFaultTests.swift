import Foundation
import NurtureTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Storage faults against the real daemon: a full file system (a small tmpfs mounted as the state directory),
/// a second daemon on the same store, a database file removed under the daemon, and read-only commands pointed
/// at a store that does not exist. Serialized: each runs a daemon, a relay and SQLite with fsync.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: DaemonHarness.shouldRun,
        "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"))
struct StorageFaultTests {
    /// Welcome at once, the guide one second after it, the rest a week later.
    static let twoSteps: [String: String] = [
        "welcome": "0", "guide": "1s", "case-study": "1w", "webinar": "1w", "check-in": "1w", "intro": "0",
        "follow-up": "1w", "resources": "1w", "last-note": "1w",
    ]

    /// Whether this process may mount a tmpfs (root in the CI container).
    static let canMount = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")

    @Test(
        "disk full: no busy loop, a few log lines, and once space is back every send the relay accepted is recorded sent and sequences go on, without a restart",
        .enabled(if: canMount && SinkRelay.available, "needs root (mount -t tmpfs) and smtp-sink (Debian postfix)"))
    func diskFull() async throws {
        // smtp-sink answers each final dot after a second: with two connections, the 32 sends claimed ahead are
        // still being transferred when the disk fills, and 4 more are due and cannot be claimed.
        let sink = try await Self.offPool { try SinkRelay(replyDelay: 1) }
        defer { sink.stop() }
        let harness = try await Self.offPool {
            try DaemonHarness(delays: Self.twoSteps, scheduling: DaemonEndToEndTests.fastScheduling)
        }
        defer { harness.stopAll() }
        try CLIRunner.edit(
            "config/e2e.yaml", in: harness.root, replacing: "port: \(harness.peer.port)", with: "port: \(sink.port)")
        let state = harness.root.appendingPathComponent("state")
        let disk = try await Self.offPool { try SmallDisk(at: state, megabytes: 16) }
        defer { disk.unmount() }
        let count = 36
        var csv = "email,first_name\n"
        for index in 0..<count { csv += "lead\(index)@example.com,Lead\(index)\n" }
        try csv.write(to: harness.root.appendingPathComponent("leads.csv"), atomically: true, encoding: .utf8)
        let imported = try await Self.offPool { try harness.nurture(["leads", "import", "leads.csv"]) }
        #expect(imported.status == 0, "\(imported.stderr)")
        try harness.startDaemon()
        let pid = try #require(harness.daemon?.processIdentifier)
        #expect(try await Self.eventually(timeout: 30) { sink.received >= 2 }, "\(harness.log)")

        // The fault: the file system holding the store is full.
        let filled = try await Self.offPool { try disk.fill() }
        let faultStart = Date()
        let cpuStart = try ProcessCPU.seconds(of: pid)
        let logStart = harness.log.count
        // The relay goes on accepting the sends claimed before the fault; wait until it has had them all, and until
        // the daemon has met the full disk (its first failed write logs one error line; when that comes depends on
        // when the group commit runs, so a quiet relay alone does not mean it has happened yet).
        var last = sink.received
        var quietSince = Date()
        func metTheFault() -> Bool {
            harness.log.dropFirst(logStart).split(separator: "\n").contains { $0.hasPrefix("<3>") }
        }
        while Date().timeIntervalSince(quietSince) < 4 || !metTheFault(), Date().timeIntervalSince(faultStart) < 60 {
            try await Task.sleep(for: .milliseconds(200))
            if sink.received != last { (last, quietSince) = (sink.received, Date()) }
        }
        let during = try await Self.offPool { try Self.states(harness) }
        let health = try await Self.health(harness)
        let faultSeconds = Date().timeIntervalSince(faultStart)
        let cpuSeconds = try ProcessCPU.seconds(of: pid) - cpuStart
        let faultLog = String(harness.log.dropFirst(logStart))
        let errorLines = faultLog.split(separator: "\n").filter { $0.hasPrefix("<3>") }
        let acceptedDuringFault = sink.received
        print(
            "disk-full test: filled \(filled / 1024) KiB; fault \(String(format: "%.1f", faultSeconds)) s, daemon CPU"
                + " \(String(format: "%.2f", cpuSeconds)) s (\(String(format: "%.1f", 100 * cpuSeconds / faultSeconds))%),"
                + " \(errorLines.count) error lines, relay accepted \(acceptedDuringFault), in flight meanwhile"
                + " \(during["in-flight"] ?? -1), /healthz \(health)")
        #expect(cpuSeconds < 0.2 * faultSeconds, "the daemon spun: \(cpuSeconds) s of CPU in \(faultSeconds) s")
        #expect(errorLines.count <= Int(faultSeconds / 30) + 3, "\(errorLines.joined(separator: "\n"))")
        #expect(errorLines.first?.contains("is full") == true, "the line names the cause: \(errorLines)")
        #expect((during["in-flight"] ?? 0) > 0, "sends the relay accepted wait in memory to be recorded: \(during)")
        #expect(health == 503, "/healthz says the store takes no writes")

        // Space comes back: everything the relay accepted is recorded sent, then the sequences go on.
        disk.free()
        let spaceBack = Date()
        // Within the backoff in force (at most 30 s), not after a restart.
        let recorded = try await Self.eventually(timeout: 45) {
            (try Self.states(harness)["sent"] ?? 0) >= acceptedDuringFault
        }
        let recoverySeconds = Date().timeIntervalSince(spaceBack)
        let after = try await Self.offPool { try Self.states(harness) }
        print(
            "disk-full test: the \(acceptedDuringFault) accepted sends recorded"
                + " \(String(format: "%.1f", recoverySeconds)) s after space came back (sent \(after["sent"] ?? -1),"
                + " in flight \(after["in-flight"] ?? -1), unknown \(after["unknown"] ?? -1))")
        #expect(recorded, "not recorded within 45 s: \(after)\n\(harness.log.suffix(3000))")
        #expect(after["unknown"] == 0, "\(after)")
        #expect(harness.log.contains("takes writes again"), "the recovery is logged")
        let continued = try await Self.eventually(timeout: 90) {
            try Self.states(harness)["sent"] == 2 * count && sink.received == 2 * count
        }
        let final = try await Self.offPool { try Self.states(harness) }
        #expect(continued, "sequences did not go on: \(final), relay \(sink.received)\n\(harness.log.suffix(3000))")
        #expect(final["unknown"] == 0 && final["in-flight"] == 0, "\(final)")
        #expect(sink.received == final["sent"], "every accepted message recorded sent once")
        #expect(harness.daemon?.isRunning == true, "no restart")
        #expect(!harness.log.contains("recorded as unknown"))
        harness.signalDaemon(SIGTERM)
        #expect(await Self.offPool { harness.waitForDaemonExit() } == 0)
    }

    @Test(
        "a second nurture run on the same store exits at once naming the store and the first's PID; the first's sends stay its own"
    )
    func secondDaemonRefused() async throws {
        let harness = try await Self.offPool { try DaemonHarness(delays: DaemonEndToEndTests.firstStepOnly) }
        defer { harness.stopAll() }
        // The peer answers these final dots after 3 s: both sends are in flight when the second daemon starts.
        for index in 1...2 {
            let added = try await Self.offPool {
                try harness.nurture(["leads", "add", "slowdot-\(index)@example.com"])
            }
            #expect(added.status == 0)
        }
        try harness.startDaemon()
        let pid = try #require(harness.daemon?.processIdentifier)
        #expect(try await Self.eventually(timeout: 20) { try Self.states(harness)["in-flight"] == 2 }, "\(harness.log)")
        let started = Date()
        let second = try await Self.runBounded(
            ["run", "--config", harness.configFile.path], in: harness.root, timeout: 15)
        let seconds = Date().timeIntervalSince(started)
        let store = harness.root.appendingPathComponent("state/nurture.sqlite").path
        #expect(second.status != nil && second.status != 0, "the second daemon ran: \(second.stderr)")
        #expect(seconds < 10, "it exits at once, not after \(seconds) s")
        #expect(second.stderr.contains(store), "names the store: \(second.stderr)")
        #expect(second.stderr.contains("process \(pid)"), "names the running daemon: \(second.stderr)")
        #expect(
            try await Self.eventually(timeout: 20) { try Self.states(harness)["sent"] == 2 },
            "the first daemon records its own sends:\n\(harness.log)")
        #expect(try await Self.offPool { try Self.states(harness) }["unknown"] == 0)
        #expect(harness.daemon?.isRunning == true)
        #expect(harness.captured().count == 2)
    }

    @Test(
        "removing the database under the daemon: /healthz 503 naming the file, an error line, and no command recreates it or truncates the live WAL"
    )
    func removedDatabase() async throws {
        let harness = try await Self.offPool { try DaemonHarness(delays: DaemonEndToEndTests.firstStepOnly) }
        defer { harness.stopAll() }
        for index in 0..<5 {
            let added = try await Self.offPool { try harness.nurture(["leads", "add", "lead\(index)@example.com"]) }
            #expect(added.status == 0)
        }
        try harness.startDaemon()
        let base = try await Self.http(harness)
        #expect(try await Self.eventually(timeout: 20) { harness.captured().count == 5 }, "\(harness.log)")
        let api = HTTPClient(base: base, token: nil)
        #expect(try await api.send("GET", "/healthz", authorized: false).status == 200)
        let database = harness.root.appendingPathComponent("state/nurture.sqlite")
        let wal = database.path + "-wal"
        let walBefore = try Self.size(wal)
        #expect(walBefore > 0, "the daemon's recent commits are in its write-ahead log")
        try FileManager.default.removeItem(at: database)

        let health = try await api.send("GET", "/healthz", authorized: false)
        #expect(health.status == 503, "\(health.body)")
        #expect(health.json["status"] as? String == "failing")
        let problem = (health.json["store"] as? [String: Any])?["problem"] as? String ?? ""
        #expect(problem.contains(database.path) && problem.contains("removed"), "\(health.body)")
        #expect(try await Self.eventually(timeout: 10) { harness.log.contains("<3>store_file") }, "\(harness.log)")

        for command in [["status"], ["why", "lead1@example.com"], ["log"], ["leads", "show", "lead1@example.com"]] {
            let result = try await Self.offPool { try harness.nurture(command) }
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("no store at \(database.path)"), "\(command): \(result.stderr)")
        }
        let add = try await Self.offPool { try harness.nurture(["leads", "add", "late@example.com"]) }
        #expect(add.status == 1 && add.stderr.contains("is missing but"), "\(add.stderr)")
        #expect(!FileManager.default.fileExists(atPath: database.path), "nothing recreated the file")
        #expect(try Self.size(wal) >= walBefore, "the live WAL was not truncated")
    }

    @Test("read-only commands pointed at a store that does not exist fail naming the path and create nothing")
    func missingStoreIsNotCreated() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for folder in ["config", "templates"] {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: CLIRunner.packageRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        let missing = root.appendingPathComponent("nonexistent-\(UUID().uuidString)")
        let empty = root.appendingPathComponent("empty-state")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let commands = [
            ["status"], ["status", "--json"], ["why", "ana@example.com"], ["log"],
            ["leads", "show", "ana@example.com"],
            ["leads", "list"],
        ]
        for directory in [missing, empty] {
            for command in commands {
                let result = try await Self.offPool {
                    try CLIRunner.run(
                        command + ["--config", "config/nurture.yaml", "--state-dir", directory.path], in: root)
                }
                let store = directory.appendingPathComponent("nurture.sqlite").path
                #expect(result.status == 1, "\(command)")
                #expect(result.stderr.contains("no store at \(store)"), "\(command): \(result.stderr)")
                #expect(result.stderr.contains("--state-dir"), "says how to point it elsewhere")
            }
        }
        // The same through the configuration: `state.directory` names a directory that does not exist.
        let configured = root.appendingPathComponent("configured-\(UUID().uuidString)")
        try CLIRunner.edit(
            "config/nurture.yaml", in: root, replacing: "  directory: ../state", with: "  directory: \(configured.path)"
        )
        for command in commands {
            let result = try await Self.offPool {
                try CLIRunner.run(command + ["--config", "config/nurture.yaml"], in: root)
            }
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("no store at \(configured.path)/nurture.sqlite"), "\(result.stderr)")
            #expect(result.stderr.contains("state.directory"), "names the configuration key")
        }
        #expect(!FileManager.default.fileExists(atPath: configured.path), "no directory created")
        #expect(!FileManager.default.fileExists(atPath: missing.path), "no directory created")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty, "no db, -wal or -shm")
    }

    // MARK: Helpers

    /// The ledger's count by state, from `nurture status --json` (a read-only open of the live store).
    static func states(_ harness: DaemonHarness) throws -> [String: Int] {
        let result = try harness.nurture(["status", "--json"])
        let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return object?["states"] as? [String: Int] ?? [:]
    }

    /// `GET /healthz`'s status code, through curl.
    static func health(_ harness: DaemonHarness) async throws -> Int {
        let base = try await http(harness)
        let result = try await runBounded(
            ["-s", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/healthz"], in: harness.root, timeout: 15,
            executable: "/usr/bin/curl")
        return Int(result.stdout) ?? 0
    }

    /// Waits until `condition` holds, checking every 250 ms, without holding a thread of the test pool (the
    /// end-to-end suites run side by side on two cores); returns whether it held within `timeout` seconds.
    static func eventually(
        timeout: TimeInterval, _ condition: @escaping @Sendable () throws -> Bool
    ) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await offPool(condition) { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await offPool(condition)
    }

    /// Runs blocking work (a child process, reading the log) on a thread of its own, not on one of the test
    /// pool's two: the other suites' async tests keep running meanwhile.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// The daemon's HTTP base URL, once it listens (at most 20 s).
    static func http(_ harness: DaemonHarness) async throws -> String {
        _ = try await eventually(timeout: 20) { harness.httpBase != nil }
        guard let base = harness.httpBase else { throw CLIRunnerError.daemonDidNotListen(harness.log) }
        return base
    }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Runs `nurture` (or `executable`) and kills it after `timeout` seconds; `status` is `nil` when it was killed.
    static func runBounded(
        _ arguments: [String], in directory: URL, timeout: TimeInterval, executable: String? = nil
    ) async throws -> (status: Int32?, stdout: String, stderr: String) {
        guard let binary = executable.map({ URL(fileURLWithPath: $0) }) ?? CLIRunner.binary else {
            throw CLIRunnerError.binaryNotFound
        }
        let output = directory.appendingPathComponent("bounded-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: output.path + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: output.path + ".out")
            try? FileManager.default.removeItem(atPath: output.path + ".err")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output.path + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: output.path + ".err"))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        var status: Int32?
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        if process.terminationReason == .exit { status = process.terminationStatus }
        let text = { (suffix: String) in (try? String(contentsOfFile: output.path + suffix, encoding: .utf8)) ?? "" }
        return (status, text(".out"), text(".err"))
    }
}

/// A tmpfs of a few megabytes mounted on a directory: a real file system that fills up.
struct SmallDisk {
    let directory: URL
    private var filler: URL { directory.appendingPathComponent("filler") }

    init(at directory: URL, megabytes: Int) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mounted = try Self.run(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", directory.path])
        guard mounted == 0 else { throw CLIRunnerError.textNotFound("mount -t tmpfs", directory.path) }
    }

    /// Writes a file until the file system is full; returns its size in bytes.
    func fill() throws -> Int {
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let chunk = Data(count: 64 * 1024)
        var written = 0
        while (try? handle.write(contentsOf: chunk)) != nil { written += chunk.count }
        // The last chunk may have been written in part; fill the remaining bytes one page at a time.
        let page = Data(count: 4096)
        while (try? handle.write(contentsOf: page)) != nil { written += page.count }
        return written
    }

    /// Space comes back.
    func free() {
        try? FileManager.default.removeItem(at: filler)
    }

    func unmount() {
        _ = try? Self.run("/bin/umount", ["-l", directory.path])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A process's CPU time (user + system) from `/proc/PID/stat`.
enum ProcessCPU {
    static func seconds(of pid: Int32) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name (which may contain spaces) start at field 3, the state.
        guard let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
