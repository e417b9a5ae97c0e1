import Foundation
import NurtureCore
import NurtureTestSupport

#if PostgreSQL

    /// Several real `nurture run` processes on one PostgreSQL database (a fresh one on the shared throwaway
    /// cluster, ``PostgresPeer``) and one aiosmtpd capture peer (``CLIPeer``), for the cluster's end-to-end tests.
    ///
    /// Daemon `i` has a configuration of its own, `config/daemon-i.yaml`: the demo configuration with the given step
    /// delays and scheduling section, `state.directory` `state-i` (its transfer journal and lock), `state.store` the
    /// shared database, a `database:` section (clear text on loopback, lease `leaseSeconds`), and its HTTP interface
    /// on a port the kernel picks. Its standard error goes to `daemon-i.log`, appended across restarts.
    final class ClusterHarness: @unchecked Sendable {
        let root: URL
        let peer: CLIPeer
        let database: PostgresSettings
        /// The bearer token every daemon's HTTP API accepts (name `e2e`).
        let apiToken: String
        let count: Int
        private var processes: [Process?]

        /// Copies config and templates into a temporary folder, starts the peer, takes a fresh database and writes
        /// one configuration per daemon. `edits` are (regular expression, replacement) pairs applied to the demo
        /// configuration, each of which must match.
        init(
            daemons: Int, delays: [String: String], scheduling: String, leaseSeconds: Int,
            edits: [(String, String)] = []
        ) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-cluster-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            for folder in ["config", "templates"] {
                try FileManager.default.copyItem(
                    at: CLIRunner.packageRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
            }
            peer = try CLIPeer()
            database = try PostgresPeer.freshDatabase("cluster")
            count = daemons
            processes = Array(repeating: nil, count: daemons)
            apiToken = (0..<3).map { _ in UUID().uuidString.replacingOccurrences(of: "-", with: "") }.joined()
            _ = FileManager.default.createFile(
                atPath: root.appendingPathComponent("config/api-tokens").path, contents: Data("e2e \(apiToken)\n".utf8),
                attributes: [.posixPermissions: 0o600])

            var text = try String(contentsOf: root.appendingPathComponent("config/demo.yaml"), encoding: .utf8)
            var replacements: [(String, String)] = [
                (#"port: 2525"#, "port: \(peer.port)"),
                (#"listen: 127\.0\.0\.1:8470"#, "listen: 127.0.0.1:0"),
                (#"\.\./state/demo-api-tokens"#, "api-tokens"),
                (
                    #"store: nurture\.sqlite[^\n]*"#,
                    "store: postgres://\(database.user)@\(database.host):\(database.port)/\(database.database)"
                ),
            ]
            for (step, delay) in delays {
                replacements.append(
                    (#"(- id: \#(NSRegularExpression.escapedPattern(for: step))\n\s+delay: )\S+"#, "$1\(delay)"))
            }
            for (pattern, replacement) in replacements + edits {
                guard text.range(of: pattern, options: .regularExpression) != nil else {
                    throw CLIRunnerError.textNotFound(pattern, "config/demo.yaml")
                }
                text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
            }
            if let section = text.range(of: "\nscheduling:") {
                text = String(text[..<section.lowerBound])  // demo.yaml ends with its own scheduling section
            }
            text += "\n" + scheduling + "\n"
            text += """

                database:
                  tls: disable          # loopback
                  pool_size: 4
                  lease_seconds: \(leaseSeconds)

                """
            for index in 0..<daemons {
                let own = text.replacingOccurrences(
                    of: "directory: ../state/demo", with: "directory: ../state-\(index)")
                try own.write(to: configFile(index), atomically: true, encoding: .utf8)
            }
        }

        deinit {
            stopAll()
            try? FileManager.default.removeItem(at: root)
        }

        func configFile(_ index: Int) -> URL { root.appendingPathComponent("config/daemon-\(index).yaml") }
        private func logFile(_ index: Int) -> URL { root.appendingPathComponent("daemon-\(index).log") }

        /// Runs a `nurture` command against daemon `index`'s configuration.
        func nurture(_ arguments: [String], daemon index: Int = 0) throws -> CLIRunner.Result {
            try CLIRunner.run(arguments + ["--config", configFile(index).path], in: root)
        }

        /// Starts daemon `index` (`nurture run --log-level debug`); its standard error is appended to its log.
        func start(_ index: Int) throws {
            guard let binary = CLIRunner.binary else { throw CLIRunnerError.binaryNotFound }
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", "--config", configFile(index).path, "--log-level", "debug"]
            process.currentDirectoryURL = root
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "NOTIFY_SOCKET")
            environment.removeValue(forKey: "STATE_DIRECTORY")
            process.environment = environment
            if !FileManager.default.fileExists(atPath: logFile(index).path) {
                _ = FileManager.default.createFile(atPath: logFile(index).path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: logFile(index))
            handle.seekToEndOfFile()
            process.standardError = handle
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes[index] = process
        }

        /// The process id of daemon `index` while it runs.
        func pid(_ index: Int) -> Int32? {
            guard let process = processes[index], process.isRunning else { return nil }
            return process.processIdentifier
        }

        /// Whether daemon `index` runs.
        func isRunning(_ index: Int) -> Bool { processes[index]?.isRunning ?? false }

        /// SIGKILL to daemon `index`, and waits for it to die.
        func kill(_ index: Int) {
            guard let process = processes[index], process.isRunning else { return }
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// SIGTERM to daemon `index`; waits (at most `timeout`) and returns its exit status (`nil`: killed after it).
        @discardableResult
        func stop(_ index: Int, timeout: TimeInterval = 20) -> Int32? {
            guard let process = processes[index] else { return nil }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGTERM) }
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning {
                Foundation.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            return process.terminationStatus
        }

        /// Daemon `index`'s log so far (every run of it).
        func log(_ index: Int) -> String { (try? String(contentsOf: logFile(index), encoding: .utf8)) ?? "" }

        /// The last `characters` of every daemon's log, for a failure message.
        func logTails(_ characters: Int = 1500) -> String {
            (0..<count).map { "--- daemon \($0):\n\(log($0).suffix(characters))" }.joined(separator: "\n")
        }

        /// Waits for daemon `index`'s HTTP listener of its latest run and returns its base URL.
        func waitForHTTP(_ index: Int, timeout: TimeInterval = 20) throws -> String {
            var base: String?
            _ = wait(timeout: timeout) {
                // The latest run's line: the log keeps earlier runs' listeners too.
                guard let line = log(index).split(separator: "\n").last(where: { $0.contains("http_listening") }),
                    let range = line.range(of: #"address=\S+"#, options: .regularExpression)
                else { return false }
                base = "http://" + line[range].dropFirst("address=".count)
                return true
            }
            guard let base else { throw CLIRunnerError.daemonDidNotListen(log(index)) }
            return base
        }

        /// Waits until `condition` holds (checked every 100 ms) or `timeout` passes; returns whether it held.
        func wait(timeout: TimeInterval, until condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if try condition() { return true }
                usleep(100_000)
            }
            return try condition()
        }

        /// Runs SQL on the shared database (inspection only); one line per row, columns separated by `|`.
        func sql(_ query: String) throws -> [[String]] {
            try PostgresPeer.psql(query, database: database.database).split(separator: "\n").map {
                $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            }
        }

        /// Every message the peer captured.
        func captured() -> [CapturedMail] {
            let directory = peer.captureDirectory
            let names =
                ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".eml") }.sorted()
            return names.compactMap { name in
                FileManager.default.contents(atPath: directory.appendingPathComponent(name).path).map(CapturedMail.init)
            }
        }

        /// Kills every daemon still running and stops the peer.
        func stopAll() {
            for index in 0..<count { kill(index) }
            peer.stop()
        }
    }
#endif
