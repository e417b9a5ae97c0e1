import Foundation
import NurtureTestSupport
import Synchronization

/// Postfix's `smtp-sink` on a free loopback port, with optional fault flags (`-r CMD`, `-f CMD`, `-q CMD`,
/// `-Q CMD`, `-W CMD:SECONDS`), dumping each message it receives into a directory and counting sessions.
///
/// Fault flags apply to every session of one sink; to see a transport recover, point it at a
/// ``LoopbackSwitch`` and move the switch from a faulty sink to a clean one.
final class SMTPSink: @unchecked Sendable {
    /// What smtp-sink's `-c` counter reports, minus the start-up probe's session.
    struct Counts: Equatable, CustomStringConvertible {
        /// Sessions that ended (the client or the sink closed the connection).
        var sessions = 0
        /// Sessions that ended with QUIT.
        var quits = 0
        /// Messages whose final dot was received (whatever the reply to it was).
        var messages = 0

        var description: String { "sessions=\(sessions) quits=\(quits) messages=\(messages)" }
    }

    let port: Int
    let dumpDirectory: URL
    private let process: PeerProcess
    private let counter = Locked(Counts())
    private let baseline: Counts

    /// Starts smtp-sink with `faults` (e.g. `["-r", "RCPT"]`) and waits until it accepts connections.
    init(faults: [String] = []) throws {
        guard TestTools.hasSmtpSink else { throw PeerError.missingTool("Postfix's smtp-sink (Debian package postfix)") }
        dumpDirectory = try TestTools.makeTemporaryDirectory("smtp-sink")
        // smtp-sink drops to user nobody when run as root, and must still write its dumps.
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: dumpDirectory.path)
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try LoopbackPorts.find()
            do {
                let process = try PeerProcess(
                    executable: TestTools.smtpSink,
                    arguments: ["-u", "nobody", "-c", "-d", dumpDirectory.path + "/msg."] + faults + [
                        "127.0.0.1:\(port)", "64",
                    ])
                Self.readCounter(of: process, into: counter)
                if LoopbackPorts.waitUntilListening(port, process: process.process) {
                    self.port = port
                    self.process = process
                    // The readiness probe is one session; wait for it to be counted, then leave it out.
                    let deadline = ContinuousClock.now + .seconds(2)
                    while counter.withLock({ $0.sessions }) < 1, ContinuousClock.now < deadline { usleep(5_000) }
                    baseline = counter.withLock { $0 }
                    return
                }
                process.stop()
            } catch { lastError = error }
        }
        throw lastError ?? PeerError.timedOut(stderr: "smtp-sink never listened")
    }

    deinit {
        // A test runner may start children with SIGTERM blocked; smtp-sink keeps nothing worth a clean exit.
        if process.process.isRunning { kill(process.process.processIdentifier, SIGKILL) }
        process.stop()
        try? FileManager.default.removeItem(at: dumpDirectory)
    }

    /// The counter so far: sessions, QUITs and messages since start-up.
    func counts() -> Counts {
        let now = counter.withLock { $0 }
        return Counts(
            sessions: now.sessions - baseline.sessions, quits: now.quits - baseline.quits,
            messages: now.messages - baseline.messages)
    }

    /// Waits (bounded) until the counter satisfies `condition`; smtp-sink counts a session when it ends.
    func waitForCounts(timeout: Duration = .seconds(10), until condition: (Counts) -> Bool) async throws -> Counts {
        let deadline = ContinuousClock.now + timeout
        while !condition(counts()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return counts()
    }

    /// How many messages smtp-sink has written to its dump directory.
    func dumpedCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: dumpDirectory.path))?.filter { $0.hasPrefix("msg.") }
            .count
            ?? 0
    }

    /// Waits (bounded) until `count` dumps exist; smtp-sink writes them asynchronously.
    func waitForDumps(_ count: Int, timeout: Duration = .seconds(10)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while dumpedCount() < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return dumpedCount()
    }

    /// The dumps' text (smtp-sink writes the envelope as `X-Mail-Args:` / `X-Rcpt-Args:` lines, then the
    /// message with LF line endings).
    func dumps() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: dumpDirectory.path).filter {
            $0.hasPrefix("msg.")
        }
        return try names.map { name in
            String(decoding: try Data(contentsOf: dumpDirectory.appendingPathComponent(name)), as: UTF8.self)
        }
    }

    /// Parses `-c` output (`sess=N quit=N mesg=N`, each update ended by CR) as it arrives on stdout.
    private static func readCounter(of process: PeerProcess, into counter: Locked<Counts>) {
        guard let pipe = process.process.standardOutput as? Pipe else { return }
        let pending = Locked(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            let line: String? = pending.withLock { buffer in
                buffer.append(chunk)
                guard let end = buffer.lastIndex(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") })
                else { return nil }
                let complete = buffer[..<end]
                buffer.removeSubrange(...end)
                let lines = complete.split(whereSeparator: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") })
                return lines.last.map { String(decoding: $0, as: UTF8.self) }
            }
            guard let line else { return }
            var fields: [String: Int] = [:]
            for pair in line.split(separator: " ") {
                let parts = pair.split(separator: "=")
                if parts.count == 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
            }
            guard let sessions = fields["sess"], let quits = fields["quit"], let messages = fields["mesg"] else {
                return
            }
            counter.withLock { $0 = Counts(sessions: sessions, quits: quits, messages: messages) }
        }
    }
}

/// A loopback TCP forwarder whose upstream port can change between connections.
///
/// A transport pointed at the switch reaches whichever sink the switch routes new connections to, so one
/// transport can meet a faulty sink, then a clean one, with its settings unchanged. A connection the
/// transport kept open still leads to the sink it was opened to: that is what makes reuse visible.
final class LoopbackSwitch: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let routing: Routing

    private final class Routing: Sendable {
        struct State {
            var upstream: Int
            var accepted: [Int: Int] = [:]
            /// How long each connection to an upstream stayed open, in the order they ended.
            var lifetimes: [Int: [Duration]] = [:]
            var open: Set<Int32> = []
            var stopped = false
        }
        let state: Mutex<State>
        init(upstream: Int) { state = Mutex(State(upstream: upstream)) }
    }

    /// Listens on a free loopback port and forwards each new connection to `upstream`.
    init(upstream: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError.missingTool("a socket") }
        var address = LoopbackPorts.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0 && listen(fd, 64) == 0
            }
        }
        guard listening else {
            close(fd)
            throw PeerError.missingTool("a free port for the switch")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let routing = Routing(upstream: upstream)
        self.routing = routing
        Thread.detachNewThread { Self.acceptLoop(listener: fd, routing: routing) }
    }

    deinit { stop() }

    /// Sends connections accepted from now on to `upstream`; open connections keep their sink.
    func route(to upstream: Int) {
        routing.state.withLock { $0.upstream = upstream }
    }

    /// How many connections the switch has forwarded to `upstream`.
    func connections(to upstream: Int) -> Int {
        routing.state.withLock { $0.accepted[upstream] ?? 0 }
    }

    /// How long each ended connection to `upstream` was open, from the switch's accept until either side
    /// closed it. Measured on the switch's own threads: unlike a clock read in a test task, it does not count
    /// time the task spent waiting for a thread of the cooperative pool on a loaded machine.
    func lifetimes(to upstream: Int) -> [Duration] {
        routing.state.withLock { $0.lifetimes[upstream] ?? [] }
    }

    /// Stops listening and cuts every forwarded connection.
    func stop() {
        let open: Set<Int32>? = routing.state.withLock { state in
            if state.stopped { return nil }
            state.stopped = true
            return state.open
        }
        guard let open else { return }
        // Wakes the accept loop, which closes the listener itself (so its number cannot be reused under it).
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private static func acceptLoop(listener: Int32, routing: Routing) {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            let acceptedAt = ContinuousClock.now
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let target: Int? = routing.state.withLock { state in
                if state.stopped { return nil }
                state.accepted[state.upstream, default: 0] += 1
                return state.upstream
            }
            guard let target, let upstream = connectLoopback(port: target) else {
                close(client)
                continue
            }
            let live = routing.state.withLock { state in
                if state.stopped { return false }
                state.open.formUnion([client, upstream])
                return true
            }
            guard live else {
                close(client)
                close(upstream)
                continue
            }
            // Either direction ending cuts both; the second pump to finish closes the descriptors.
            let finished = Locked(0)
            let pump: @Sendable (Int32, Int32) -> Void = { from, to in
                forward(from: from, to: to)
                let ended = ContinuousClock.now
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(upstream, Int32(SHUT_RDWR))
                let last = finished.withLock { count in
                    count += 1
                    return count == 2
                }
                if !last {
                    routing.state.withLock { $0.lifetimes[target, default: []].append(ended - acceptedAt) }
                }
                if last {
                    routing.state.withLock { $0.open.subtract([client, upstream]) }
                    close(client)
                    close(upstream)
                }
            }
            Thread.detachNewThread { pump(client, upstream) }
            Thread.detachNewThread { pump(upstream, client) }
        }
    }

    private static func forward(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes {
                    send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
                }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                sent += written
            }
        }
    }

    private static func connectLoopback(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = LoopbackPorts.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }
}

/// A value behind a lock, shareable with escaping closures and other threads.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout sending Value) -> sending Result) -> sending Result {
        mutex.withLock(body)
    }
}
