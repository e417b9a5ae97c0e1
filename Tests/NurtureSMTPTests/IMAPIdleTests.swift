import Foundation
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSMTP

/// The IDLE doorbell against a real Dovecot: it rings for delivered mail, stays quiet otherwise, and degrades to
/// waiting out the timeout when the server cannot be watched.
@Suite(
    .ownQueue, .serialized,
    .enabled(if: DovecotPeer.canRun, "needs Dovecot (Debian dovecot-imapd; scripts/install-deps.sh)"))
struct IMAPIdleTests {
    @Test(arguments: [MailboxSettings.Security.none, .tls, .starttls])
    func ringsWhenMailIsDelivered(_ security: MailboxSettings.Security) async throws {
        let peer = try DovecotPeer(tls: security != .none)
        var settings = IMAPMailboxTests.settings(peer)
        settings.security = security
        settings.caFile = peer.caFile
        if security == .tls { settings.port = try #require(peer.tlsPort) }
        let mailbox = IMAPMailbox(settings: settings)
        // `true` means the server's `* n EXISTS` arrived: a timeout returns `false`. The timeout is long so that a
        // loaded machine cannot turn a ring into a timeout; how fast it rings is not this test's business.
        async let rang = mailbox.waitForNewMail(timeout: .seconds(90))
        // Mail delivered before the IDLE is in place is not announced (that is the caller's poll's job): on a loaded
        // machine the log-in can take seconds, so a message goes in every two seconds until the bell rings.
        let deliveries = Task {
            for n in 1...30 {
                try await Task.sleep(for: .milliseconds(n == 1 ? 700 : 2000))
                try peer.deliver(IMAPMailboxTests.message(n))
            }
        }
        #expect(await rang)
        deliveries.cancel()
        _ = await deliveries.result
        // The doorbell only examines the folder: the message stays unseen and unflagged.
        #expect(try peer.flags()[1] == [])
    }

    @Test func quietUntilTheTimeout() async throws {
        let peer = try DovecotPeer()
        try peer.deliver(IMAPMailboxTests.message(1))
        let mailbox = IMAPMailbox(settings: IMAPMailboxTests.settings(peer))
        let started = ContinuousClock.now
        #expect(await mailbox.waitForNewMail(timeout: .seconds(1)) == false)
        let waited = ContinuousClock.now - started
        // At least the timeout; the upper bound only catches a wait that never ends.
        #expect(waited >= .seconds(1) && waited < hangBound, "\(waited)")
    }

    @Test func cancellationEndsTheWait() async throws {
        let peer = try DovecotPeer()
        let mailbox = IMAPMailbox(settings: IMAPMailboxTests.settings(peer))
        let started = ContinuousClock.now
        let waiting = Task { await mailbox.waitForNewMail(timeout: hangBound * 3) }
        try await Task.sleep(for: .milliseconds(500))
        waiting.cancel()
        #expect(await waiting.value == false)
        // Far before the timeout: the cancellation, not the timeout, ended it.
        #expect(ContinuousClock.now - started < hangBound)
    }

    @Test func unwatchableServerWaitsOutTheTimeout() async throws {
        let peer = try DovecotPeer()
        peer.stop()
        let mailbox = IMAPMailbox(settings: IMAPMailboxTests.settings(peer))
        let started = ContinuousClock.now
        #expect(await mailbox.waitForNewMail(timeout: .seconds(1)) == false)
        #expect(ContinuousClock.now - started >= .seconds(1))
    }

    @Test(arguments: [
        ("* 12 EXISTS", true), ("* 0 exists", true), ("* 3 EXPUNGE", false), ("* OK Still here", false),
        ("N2 OK Idle completed.", false), ("* x EXISTS", false),
    ])
    func recognisesExists(_ line: String, _ expected: Bool) {
        #expect(IMAPIdle.isExists(line) == expected)
    }
}
