import Foundation
import Logging
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import NurtureServer
import NurtureTestSupport
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

/// The watcher's loop over an in-memory mailbox and a real SQLite store, on a virtual clock: cursor, flags,
/// windows, renumbering, failures and backoff, shutdown. (The end-to-end tests run it against Dovecot.)
@Suite("Mailbox watcher")
struct MailboxWatcherTests {
    static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }
    static let start = Date.at("2026-12-01T09:00:00Z")

    static func message(_ n: Int) -> String {
        "From: someone\(n)@example.org\r\nTo: sales@acme.example\r\nSubject: Newsletter \(n)\r\n"
            + "Message-ID: <n\(n)@example.org>\r\nDate: Tue, 01 Dec 2026 08:00:00 +0000\r\n\r\nNews.\r\n"
    }

    static func watcher(
        _ fixture: SchedulerFixture, _ reader: FakeMailbox, window: Int = 200, metrics: DaemonMetrics? = nil
    ) -> MailboxWatcher {
        let settings = MailboxSettings(
            name: "sales", host: "127.0.0.1", port: 143, security: .none, username: "sales", window: window)
        let configuration = fixture.configuration
        return MailboxWatcher(
            mailbox: WatchedMailbox(settings: settings, pollInterval: .seconds(60), owner: "priya"), reader: reader,
            store: fixture.store, configuration: { configuration }, clock: fixture.clock, metrics: metrics,
            log: logger, wake: {})
    }

    func cursor(_ fixture: SchedulerFixture) async throws -> MailboxCursor? {
        try await fixture.store.mailboxCursors().first { $0.mailbox == "sales" }
    }

    @Test("each new message is read once, flagged and recorded; the cursor is saved; seen flags are left alone")
    func readsOnce() async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        mailbox.deliver(Self.message(1))
        mailbox.deliver(Self.message(2), seen: true)
        mailbox.deliver(Self.message(3))
        let watcher = Self.watcher(fixture, mailbox)
        var memory = MailboxWatcher.Memory()
        #expect(await watcher.poll(&memory) == .seconds(60))
        #expect(mailbox.fetches == [1, 2, 3])
        #expect((1...3).allSatisfy { mailbox.message($0)?.processed == true })
        #expect(mailbox.message(1)?.seen == false && mailbox.message(2)?.seen == true)
        let saved = try #require(try await cursor(fixture))
        #expect(saved.lastUID == 3 && saved.uidValidity == 1 && saved.lastError == nil)
        #expect(saved.checkedAt == Self.start)
        #expect(try await fixture.store.inboundLog(mailbox: "sales", limit: 10).count == 3)

        _ = await watcher.poll(&memory)
        #expect(mailbox.fetches == [1, 2, 3], "nothing is read twice")
        mailbox.deliver(Self.message(4))
        // A new watcher (a restart) starts from the stored cursor.
        var fresh = MailboxWatcher.Memory()
        _ = await Self.watcher(fixture, mailbox).poll(&fresh)
        #expect(mailbox.fetches == [1, 2, 3, 4])
        #expect(try await cursor(fixture)?.lastUID == 4)
    }

    @Test("new mail is read in windows until none is left", arguments: [1, 2, 3, 7])
    func windows(window: Int) async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        for n in 1...7 { mailbox.deliver(Self.message(n)) }
        var memory = MailboxWatcher.Memory()
        _ = await Self.watcher(fixture, mailbox, window: window).poll(&memory)
        #expect(mailbox.fetches == Array(1...7))
        #expect(try await cursor(fixture)?.lastUID == 7)
    }

    @Test("a failing mailbox keeps its error and backs off; sending is not its business; it recovers by itself")
    func failureAndRecovery() async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let watcher = Self.watcher(fixture, mailbox, metrics: metrics)
        var memory = MailboxWatcher.Memory()
        mailbox.fail(MailboxError(.unreachable, "Could not connect to server"))
        #expect(await watcher.poll(&memory) == .seconds(60))
        fixture.clock.advance(by: .seconds(60))
        #expect(await watcher.poll(&memory) == .seconds(120))
        fixture.clock.advance(by: .seconds(120))
        #expect(await watcher.poll(&memory) == .seconds(240))
        let failing = try #require(try await cursor(fixture))
        #expect(failing.lastError == "unreachable: Could not connect to server")
        #expect(failing.failures == 3)
        #expect(failing.failingSince == Self.start)
        var text = PrometheusText.render(metrics, queue: [:], startedAt: Self.start)
        #expect(text.contains(#"nurture_mailbox_up{mailbox="sales"} 0"#))
        #expect(text.contains(#"nurture_mailbox_poll_failures_total{mailbox="sales"} 3"#))

        mailbox.fail(nil)
        mailbox.deliver(Self.message(1))
        fixture.clock.advance(by: .seconds(240))
        #expect(await watcher.poll(&memory) == .seconds(60))
        let healthy = try #require(try await cursor(fixture))
        #expect(healthy.lastError == nil && healthy.failures == 0 && healthy.failingSince == nil)
        #expect(healthy.lastUID == 1)
        text = PrometheusText.render(metrics, queue: [:], startedAt: Self.start)
        #expect(text.contains(#"nurture_mailbox_up{mailbox="sales"} 1"#))
        #expect(text.contains(#"nurture_inbound_messages_total{mailbox="sales",kind="#))
    }

    @Test("a renumbered folder is read again from the start; messages flagged before are not acted on again")
    func renumbered() async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        mailbox.deliver(Self.message(1))
        mailbox.deliver(Self.message(2))
        let watcher = Self.watcher(fixture, mailbox)
        var memory = MailboxWatcher.Memory()
        _ = await watcher.poll(&memory)
        mailbox.renumber()
        mailbox.deliver(Self.message(3))
        _ = await watcher.poll(&memory)
        let saved = try #require(try await cursor(fixture))
        #expect(saved.uidValidity == 2 && saved.lastUID == 3)
        let records = try await fixture.store.inboundLog(mailbox: "sales", limit: 10)
        #expect(records.count == 3, "the two flagged before the renumbering are not recorded again")
        #expect(records.filter { $0.uidValidity == 2 }.map(\.uid) == [3])
    }

    @Test("a message gone meanwhile is skipped; one too large is recorded as unrelated, with the reason")
    func missingAndTooLarge() async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        for n in 1...3 { mailbox.deliver(Self.message(n)) }
        mailbox.failFetch(1, MailboxError(.missing, "UID 1 is gone"))
        mailbox.failFetch(2, MailboxError(.tooLarge, "12 MB is over max_message_bytes"))
        var memory = MailboxWatcher.Memory()
        _ = await Self.watcher(fixture, mailbox).poll(&memory)
        #expect(try await cursor(fixture)?.lastUID == 3)
        #expect(try await fixture.store.inboundRecord(mailbox: "sales", uidValidity: 1, uid: 1) == nil)
        let large = try #require(try await fixture.store.inboundRecord(mailbox: "sales", uidValidity: 1, uid: 2))
        #expect(large.kind == .unrelated)
        #expect(large.evidence.contains("12 MB is over max_message_bytes"))
        #expect(mailbox.message(2)?.processed == true)
        #expect(try await fixture.store.inboundRecord(mailbox: "sales", uidValidity: 1, uid: 3) != nil)
    }

    @Test("in the service group it polls every interval, and a graceful shutdown ends its wait at once")
    func runsUntilShutdown() async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        mailbox.deliver(Self.message(1))
        let watcher = Self.watcher(fixture, mailbox)
        let group = ServiceGroup(services: [watcher], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually { fixture.clock.pausedCount == 1 }
            #expect(mailbox.fetches == [1])
            mailbox.deliver(Self.message(2))
            fixture.clock.advance(by: .seconds(60))
            try await eventually { mailbox.fetches == [1, 2] && fixture.clock.pausedCount == 1 }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(fixture.clock.pausedCount == 0)
    }

    @Test("with a doorbell a healthy mailbox is read when mail is announced; a failing one waits its backoff")
    func doorbell() async throws {
        let fixture = try SchedulerFixture(start: Self.start)
        let mailbox = FakeMailbox()
        let rings = Mutex(0)
        var watcher = Self.watcher(fixture, mailbox)
        watcher.doorbell = { _ in
            // The server announces mail every 20 ms (real time); the virtual clock never moves.
            try? await Task.sleep(for: .milliseconds(20))
            rings.withLock { $0 += 1 }
            return true
        }
        let group = ServiceGroup(services: [watcher], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually { rings.withLock { $0 } >= 1 }
            mailbox.deliver(Self.message(1))
            try await eventually { mailbox.fetches == [1] }
            #expect(fixture.clock.pausedCount == 0, "the doorbell, not the clock, paced the polls")
            mailbox.fail(MailboxError(.unreachable, "Could not connect to server"))
            try await eventually { fixture.clock.pausedCount == 1 }
            #expect(try await cursor(fixture)?.failures == 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
