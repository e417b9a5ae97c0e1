import Dispatch
import Foundation
import NurtureDaemon
import NurtureTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif
// Where a module of this target loads libdispatch's headers first, `timespec` is owned by CDispatch.
#if canImport(CDispatch)
    import CDispatch
#endif

/// The notifier against a real datagram socket playing systemd's notify socket.
@Suite struct SystemdNotifierTests {
    @Test func sendsTheExactDatagramsToAPathSocket() throws {
        try NotifySocketHarness.withPathSocket { (harness: NotifySocket) throws in
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": harness.name])
            #expect(notifier.isEnabled)
            #expect(notifier.socketPath == harness.name)

            #expect(notifier.ready())
            #expect(try harness.receive() == "READY=1")
            notifier.ready(status: "Sending 3 sequences")
            #expect(try harness.receive() == "READY=1\nSTATUS=Sending 3 sequences")
            notifier.stopping()
            #expect(try harness.receive() == "STOPPING=1")
            notifier.watchdog()
            #expect(try harness.receive() == "WATCHDOG=1")
            notifier.status("Idle until 09:00")
            #expect(try harness.receive() == "STATUS=Idle until 09:00")
            notifier.extendTimeout(by: .seconds(90))
            #expect(try harness.receive() == "EXTEND_TIMEOUT_USEC=90000000")
        }
    }

    @Test("a receiver that stops reading drops WATCHDOG and STATUS instead of blocking the daemon")
    func fullQueueDoesNotBlock() throws {
        try NotifySocketHarness.withPathSocket { (harness: NotifySocket) throws in
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": harness.name])
            // Nobody reads: the socket's queue fills (a few hundred datagrams at most), then sends fail at once.
            var sent = 0
            while sent < 100_000, notifier.status("queue filler \(sent)") { sent += 1 }
            #expect(sent < 100_000, "the queue never filled")
            #expect(!notifier.watchdog())
            #expect(try harness.receive() == "STATUS=queue filler 0", "what was queued is intact")
        }
    }

    @Test func reloadingCarriesTheMonotonicClock() throws {
        try NotifySocketHarness.withPathSocket { (harness: NotifySocket) throws in
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": harness.name])
            let before = monotonicMicroseconds()
            notifier.reloading()
            let after = monotonicMicroseconds()
            let datagram = try harness.receive()
            let lines = datagram.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2)
            #expect(lines.first == "RELOADING=1")
            let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
            #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
            #expect(before <= stamp && stamp <= after)
        }
    }

    @Test func sendsToAnAbstractSocket() throws {
        try NotifySocketHarness.withAbstractSocket { (harness: NotifySocket) throws in
            #expect(harness.name.hasPrefix("@"))
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": harness.name])
            notifier.ready()
            #expect(try harness.receive() == "READY=1")
            notifier.reloading()
            #expect(try harness.receive().hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
            notifier.ready(status: "reloaded")
            #expect(try harness.receive() == "READY=1\nSTATUS=reloaded")
        }
    }

    @Test func valuesCannotAddFieldsAndBadKeysAreDropped() throws {
        try NotifySocketHarness.withPathSocket { (harness: NotifySocket) throws in
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": harness.name])
            notifier.status("lead ana\nREADY=1\r\nSTOPPING=1\0x")
            #expect(try harness.receive() == "STATUS=lead ana READY=1  STOPPING=1 x")
            notifier.send(["STATUS": "ok", "bad key": "1", "": "2", "Lower": "3", "MAINPID": "42"])
            #expect(try harness.receive() == "STATUS=ok\nMAINPID=42")
            #expect(!notifier.send(["not valid": "1"]))
        }
    }

    @Test func withoutNotifySocketNothingIsSent() {
        for environment in [[:], ["NOTIFY_SOCKET": ""], ["NOTIFY_SOCKET": "relative/path"]] {
            let notifier = SystemdNotifier(environment: environment, processID: 7)
            #expect(!notifier.isEnabled)
            #expect(!notifier.ready())
            #expect(!notifier.watchdog())
            #expect(notifier.watchdogInterval == nil)
        }
    }

    @Test func aMissingSocketIsIgnored() throws {
        try NotifySocketHarness.withTemporaryDirectory { directory in
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": directory.path + "/gone.sock"])
            #expect(notifier.isEnabled)
            #expect(!notifier.ready())
            #expect(!notifier.stopping())
        }
    }

    @Test func aTooLongPathTurnsNotificationsOff() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)])
        #expect(!notifier.isEnabled)
    }

    /// `(WATCHDOG_USEC, WATCHDOG_PID, expected interval)`; this process is pid 4242.
    @Test(
        arguments: [
            ("30000000", nil, Duration.seconds(15)),
            ("30000000", "4242", .seconds(15)),
            ("30000000", "", .seconds(15)),
            ("1000001", "4242", .microseconds(500_000)),
            ("30000000", "4243", nil),
            ("30000000", "not-a-pid", nil),
            ("0", nil, nil),
            ("-5", nil, nil),
            ("30s", nil, nil),
            (nil, "4242", nil),
        ] as [(String?, String?, Duration?)])
    func watchdogInterval(microseconds: String?, pid: String?, expected: Duration?) {
        var environment = ["NOTIFY_SOCKET": "@nurture-test"]
        environment["WATCHDOG_USEC"] = microseconds
        environment["WATCHDOG_PID"] = pid
        #expect(SystemdNotifier(environment: environment, processID: 4242).watchdogInterval == expected)
    }

    @Test func watchdogNeedsANotifySocket() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], processID: 1)
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func watchdogDefaultsToThisProcess() {
        let environment = ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "20000000", "WATCHDOG_PID": String(getpid())]
        #expect(SystemdNotifier(environment: environment).watchdogInterval == .seconds(10))
    }
}

private func monotonicMicroseconds() -> UInt64 {
    var now = Glibc.timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
}

/// The notify socket the tests bind (``NotifySocket``), in a temporary directory or the abstract namespace.
private enum NotifySocketHarness {
    /// Runs `body` with a socket bound to a file in a fresh temporary directory.
    static func withPathSocket(_ body: (NotifySocket) throws -> Void) throws {
        try withTemporaryDirectory { directory in try body(NotifySocket(name: directory.path + "/notify")) }
    }

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    static func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    /// Runs `body` with a socket bound to a unique name in the abstract namespace.
    static func withAbstractSocket(_ body: (NotifySocket) throws -> Void) throws {
        try body(NotifySocket.abstract())
    }
}

extension NotifySocket {
    /// The next datagram, waiting up to two seconds.
    fileprivate func receive() throws -> String {
        guard let datagram = receive(within: .seconds(2)) else {
            throw HarnessError("no datagram within 2 s on \(name)")
        }
        return datagram
    }
}

private struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
