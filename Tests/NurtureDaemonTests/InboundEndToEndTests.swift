import Foundation
import Logging
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import NurtureServer
import NurtureTestSupport
import Synchronization
import Testing

/// Hearing the lead, end to end in one process: the scheduler on a virtual clock sends through a real aiosmtpd into
/// a real SQLite store; the lead's answer is delivered unseen into a real Dovecot with `doveadm save`; the
/// ``MailboxWatcher`` reads it with the real ``IMAPMailbox`` and acts on it.
@Suite(
    "Inbound end to end", .ownQueue, .serialized,
    .enabled(
        if: DovecotPeer.canRun && (RelayPeer.hasAiosmtpd || RelayPeer.required),
        "needs Dovecot (dovecot-imapd) and aiosmtpd (scripts/install-deps.sh)"))
struct InboundEndToEndTests {
    /// Tuesday 1 December 2026, 09:00 in New York (the lead's zone): inside the sales window.
    static let tuesday = Date.at("2026-12-01T14:00:00Z")
    static let salesperson = "priya@acme-analytics.example"
    static let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }

    /// The relay peer, the scheduler, the store, Dovecot and a watcher of its INBOX.
    final class Rig: Sendable {
        let relay: RelayPeer
        let fixture: SchedulerFixture
        let dovecot: DovecotPeer
        let mailbox: WatchedMailbox

        init() async throws {
            relay = try await RelayPeer.start()
            dovecot = try DovecotPeer()
            let settings = MailboxSettings(
                name: "sales-priya", host: "127.0.0.1", port: dovecot.port, security: .none,
                username: DovecotPeer.user, password: Secret(DovecotPeer.password), connectTimeout: .seconds(5),
                commandTimeout: .seconds(10))
            let mailbox = WatchedMailbox(settings: settings, pollInterval: .seconds(60), owner: "priya")
            self.mailbox = mailbox
            fixture = try SchedulerFixture(
                start: InboundEndToEndTests.tuesday, relay: RelayOutcomeTests.loopback(relay.port),
                configure: { configuration in
                    configuration.inbound.mailboxes = [mailbox]
                    configuration.inbound.verp = VERPCodec(
                        localPart: "bounces", domain: "bounces.acme-analytics.example",
                        secret: Array("an end-to-end test secret of 32+ bytes".utf8))
                })
        }

        /// A new watcher with its own IMAP reader, as a (re)started daemon makes it.
        func watcher() -> MailboxWatcher {
            let configuration = fixture.configuration
            return MailboxWatcher(
                mailbox: mailbox, reader: IMAPMailbox(settings: mailbox.settings), store: fixture.store,
                configuration: { configuration }, clock: fixture.clock, metrics: nil, log: InboundEndToEndTests.logger,
                wake: {})
        }

        /// A sales-qualified inbound lead owned by Priya, whose intro goes out at once; returns the intro.
        func leadWithIntro(_ email: String) async throws -> PlannedSend {
            try await fixture.add(email, stage: .salesQualified, owner: "priya")
            await fixture.scheduler.pass()
            let intro = try #require(try await fixture.sends(email).first { $0.step == "intro" })
            #expect(intro.state == .sent, "\(fixture.events.lines.withLock { $0 })")
            return intro
        }

        /// Fills an end-to-end template (`reply`, `ooo`, `bounce-verp`) and delivers it unseen.
        func deliver(_ template: String, lead: String, send: PlannedSend, values: [String: String] = [:]) throws {
            let url = SchedulerFixture.repositoryRoot.appendingPathComponent(
                "Tests/Fixtures/inbound/e2e/\(template).eml.template")
            var text = try String(contentsOf: url, encoding: .utf8)
            let messageID = send.messageID.hasPrefix("<") ? send.messageID : "<\(send.messageID)>"
            let all = values.merging(
                [
                    "LEAD": lead, "SALESPERSON": InboundEndToEndTests.salesperson, "MESSAGE_ID": messageID,
                    "DATE": "Tue, 01 Dec 2026 14:30:00 +0000",
                ], uniquingKeysWith: { given, _ in given })
            for (key, value) in all { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
            let crlf = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
            try dovecot.deliver(Array(crlf.utf8))
        }

        /// The envelope senders (`MAIL FROM`) the relay captured, in order.
        func envelopeSenders() throws -> [String] {
            let files = try FileManager.default.contentsOfDirectory(atPath: relay.directory.path)
                .filter { $0.hasSuffix(".json") }.sorted()
            return try files.compactMap { name in
                let data = try Data(contentsOf: relay.directory.appendingPathComponent(name))
                return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["mail_from"] as? String
            }
        }

        func cursor() async throws -> MailboxCursor? {
            try await fixture.store.mailboxCursors().first { $0.mailbox == mailbox.name }
        }
    }

    @Test("a reply to the sales intro ends the enrollment: the follow-up is never sent; the mail stays unseen")
    func replyEndsTheSequence() async throws {
        let rig = try await Rig()
        let lead = "ada@lead.example"
        let intro = try await rig.leadWithIntro(lead)
        try rig.deliver("reply", lead: lead, send: intro)
        var memory = MailboxWatcher.Memory()
        _ = await rig.watcher().poll(&memory)

        let address = try EmailAddress(lead)
        let enrollment = try #require(try await rig.fixture.store.enrollments(for: address).last)
        #expect(enrollment.endReason == .replied, "\(memory.cursor?.lastError ?? "")")
        let record = try #require(try await rig.fixture.store.inbound(for: address).first)
        #expect(record.kind == .reply)
        #expect(record.rule == .messageID)
        #expect(try await rig.fixture.store.audit(for: address).contains { $0.kind == "inbound" })

        for _ in 0..<6 { await rig.fixture.advance(by: .seconds(86_400)) }
        #expect(rig.relay.captured() == 1, "only the intro went out")
        #expect(try await rig.fixture.sends(lead).allSatisfy { $0.step == "intro" || $0.state != .sent })

        let flags = try rig.dovecot.flags()
        #expect(flags.count == 1)
        for (uid, set) in flags {
            #expect(!set.contains("\\Seen"), "UID \(uid) is still unseen: \(set)")
            #expect(set.contains("$NurtureProcessed"), "UID \(uid) carries the keyword: \(set)")
        }
    }

    @Test("an out-of-office pauses the enrollment until the first business day after the return date, then resumes")
    func outOfOfficePausesAndResumes() async throws {
        let rig = try await Rig()
        let lead = "bea@lead.example"
        let intro = try await rig.leadWithIntro(lead)
        try rig.deliver("ooo", lead: lead, send: intro, values: ["RETURN_DATE": "Monday, 14 December 2026"])
        var memory = MailboxWatcher.Memory()
        _ = await rig.watcher().poll(&memory)

        let address = try EmailAddress(lead)
        // Back on Monday the 14th: mailed again from Tuesday the 15th, 00:00 in New York.
        let resume = Date.at("2026-12-15T05:00:00Z")
        let enrollment = try #require(try await rig.fixture.store.enrollments(for: address).last)
        #expect(enrollment.isActive)
        #expect(enrollment.pausedUntil == resume, "\(memory.cursor?.lastError ?? "")")
        let why = try #require(
            try await WhyReport.read(
                address, store: rig.fixture.store, configuration: rig.fixture.configuration,
                now: rig.fixture.clock.now()))
        #expect(why.answer.hasPrefix("paused: out of office until 2026-12-15 00:00"), "why: \(why.answer)")

        // Day by day until just before the pause ends: nothing goes out.
        while rig.fixture.clock.now() < resume.addingTimeInterval(-86_400) {
            await rig.fixture.advance(by: .seconds(86_400))
        }
        await rig.fixture.advance(by: .seconds(resume.timeIntervalSince(rig.fixture.clock.now()) - 60))
        #expect(rig.relay.captured() == 1, "nothing before the pause ends")
        // Then hour by hour through the morning: the follow-up goes out by itself, in the window.
        for _ in 0..<12 { await rig.fixture.advance(by: .seconds(3_600)) }
        #expect(rig.relay.captured() == 2, "\(rig.fixture.events.lines.withLock { $0 })")
        let followUp = try #require(try await rig.fixture.sends(lead).first { $0.step == "follow-up" })
        #expect(followUp.state == .sent)
        let sentAt = try await rig.fixture.store.log(SendLogFilter(leadEmail: address))
            .last { $0.step == "follow-up" && $0.state == .sent }?.at
        #expect(sentAt.map { $0 >= resume } == true)
    }

    @Test("a delivery report for a VERP send suppresses the lead, tied by the VERP token")
    func verpBounceSuppresses() async throws {
        let rig = try await Rig()
        let lead = "cy@lead.example"
        let intro = try await rig.leadWithIntro(lead)
        let verp = try #require(try rig.envelopeSenders().last)
        #expect(verp.hasPrefix("bounces+") && verp.hasSuffix("@bounces.acme-analytics.example"), "\(verp)")
        try rig.deliver("bounce-verp", lead: lead, send: intro, values: ["VERP": verp])
        var memory = MailboxWatcher.Memory()
        _ = await rig.watcher().poll(&memory)

        let address = try EmailAddress(lead)
        let stored = try #require(try await rig.fixture.store.lead(address))
        #expect(stored.hasBounced, "\(memory.cursor?.lastError ?? "")")
        #expect(
            try await rig.fixture.store.isSuppressed(
                rig.fixture.configuration.addressKeying.suppressionKey(for: address)))
        let record = try #require(try await rig.fixture.store.inbound(for: address).first)
        #expect(record.kind == .hardBounce)
        #expect(record.rule == .verp)
        #expect(record.sendID == intro.id)
    }

    @Test("a restart re-reads nothing already processed and picks up what arrived meanwhile")
    func restartMissesNothing() async throws {
        let rig = try await Rig()
        let first = "dee@lead.example"
        let second = "eve@lead.example"
        let introOne = try await rig.leadWithIntro(first)
        let introTwo = try await rig.leadWithIntro(second)
        try rig.deliver("reply", lead: first, send: introOne)
        var memory = MailboxWatcher.Memory()
        _ = await rig.watcher().poll(&memory)
        let before = try await rig.fixture.store.inboundLog(mailbox: nil, limit: 10)
        let auditBefore = try await rig.fixture.store.audit(for: try EmailAddress(first))
        #expect(before.count == 1)

        // Meanwhile (daemon down) another reply arrives; a new watcher over the same store starts from the cursor.
        try rig.deliver("reply", lead: second, send: introTwo)
        rig.fixture.clock.advance(by: .seconds(120))
        var restarted = MailboxWatcher.Memory()
        _ = await rig.watcher().poll(&restarted)

        let after = try await rig.fixture.store.inboundLog(mailbox: nil, limit: 10)
        #expect(after.count == 2)
        #expect(after.contains(before[0]), "the first record is unchanged")
        #expect(try await rig.fixture.store.audit(for: try EmailAddress(first)) == auditBefore)
        #expect(
            try await rig.fixture.store.enrollments(for: try EmailAddress(second)).last?.endReason == .replied)
        #expect(try await rig.cursor()?.lastUID == 2)
    }

    @Test("Dovecot stopped: the mailbox is reported failing, sending goes on; Dovecot back: the mailbox recovers")
    func unreachableMailbox() async throws {
        let rig = try await Rig()
        let watcher = rig.watcher()
        var memory = MailboxWatcher.Memory()
        _ = await watcher.poll(&memory)
        #expect(try await rig.cursor()?.lastError == nil)

        rig.dovecot.stop()
        let wait = await watcher.poll(&memory)
        let failing = try #require(try await rig.cursor())
        #expect(failing.lastError?.hasPrefix("unreachable") == true, "\(failing.lastError ?? "no error")")
        #expect(failing.failures == 1 && wait == .seconds(60))
        let report = try await StatusReport.mailboxes(
            configuration: rig.fixture.configuration, store: rig.fixture.store)
        #expect(report.map(\.isFailing) == [true])

        _ = try await rig.leadWithIntro("fay@lead.example")
        #expect(rig.relay.captured() == 1, "sending goes on while the mailbox is down")

        try rig.dovecot.restart()
        rig.fixture.clock.advance(by: wait)
        let lead = "fay@lead.example"
        let intro = try #require(try await rig.fixture.sends(lead).first)
        try rig.deliver("reply", lead: lead, send: intro)
        #expect(await watcher.poll(&memory) == .seconds(60))
        let healthy = try #require(try await rig.cursor())
        #expect(healthy.lastError == nil && healthy.failures == 0)
        #expect(try await rig.fixture.store.enrollments(for: try EmailAddress(lead)).last?.endReason == .replied)
    }
}
