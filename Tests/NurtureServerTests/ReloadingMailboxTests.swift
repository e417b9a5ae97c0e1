import Foundation
import NurtureCore
import NurtureSMTP
import NurtureServer
import NurtureTestSupport
import Synchronization
import Testing

/// A watched mailbox follows a reload's new credentials at its next IMAP call, against a real Dovecot: the case of a
/// token helper that rewrites the token (or an operator who fixes a password) and sends SIGHUP.
@Suite(.ownQueue, .enabled(if: DovecotPeer.canRun, "needs Dovecot (Debian dovecot-imapd; scripts/install-deps.sh)"))
struct ReloadingMailboxTests {
    @Test("a wrong password fails; after the configuration in force has the right one, the next call logs in")
    func followsNewCredentials() async throws {
        let peer = try DovecotPeer()
        try peer.deliver(Array("Subject: hello\r\n\r\nhi\r\n".utf8))
        func settings(_ password: String) -> MailboxSettings {
            MailboxSettings(
                name: "replies", host: "127.0.0.1", port: peer.port, security: .none, username: DovecotPeer.user,
                password: Secret(password), connectTimeout: .seconds(5))
        }
        let inForce = Mutex(settings("wrong-password"))
        let mailbox = ReloadingMailbox(initial: inForce.withLock { $0 }) { inForce.withLock { $0 } }
        do {
            _ = try await mailbox.status()
            Issue.record("logged in with a wrong password")
        } catch {
            #expect(error.kind == .authentication)
        }
        let before = mailbox.current()
        inForce.withLock { $0 = settings(DovecotPeer.password) }  // the reload
        #expect(try await mailbox.status().messages == 1)
        #expect(mailbox.current() !== before)
        // Unchanged settings keep the same reader (and its connection).
        #expect(mailbox.current() === mailbox.current())
    }

    @Test("a mailbox removed from the configuration keeps its last settings until the next start")
    func removedKeepsLastSettings() async throws {
        let peer = try DovecotPeer()
        let initial = MailboxSettings(
            name: "replies", host: "127.0.0.1", port: peer.port, security: .none, username: DovecotPeer.user,
            password: Secret(DovecotPeer.password), connectTimeout: .seconds(5))
        let mailbox = ReloadingMailbox(initial: initial) { nil }
        #expect(try await mailbox.status().messages == 0)
        #expect(mailbox.current().settings == initial)
    }
}
