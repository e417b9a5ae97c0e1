import Foundation
import NurtureCore
import NurtureSMTP
import NurtureTestSupport
import Testing

/// How the mailbox reader protects the connection: clear text only to loopback, implicit TLS and required
/// STARTTLS verified against a private CA, and a refused handshake reported as unreachable.
@Suite(
    .ownQueue, .serialized,
    .enabled(if: DovecotPeer.canRun, "needs Dovecot (Debian dovecot-imapd; scripts/install-deps.sh)"))
struct IMAPSecurityTests {
    static func settings(
        host: String = "127.0.0.1", port: Int, security: MailboxSettings.Security, caFile: String? = nil
    ) -> MailboxSettings {
        MailboxSettings(
            name: "secure", host: host, port: port, security: security, username: DovecotPeer.user,
            password: Secret(DovecotPeer.password), caFile: caFile, connectTimeout: .seconds(5),
            commandTimeout: .seconds(10))
    }

    @Test func clearTextToAnotherHostIsRefusedWithoutConnecting() async {
        // 192.0.2.1 (TEST-NET-1) never answers: connecting would take the whole connect timeout.
        let mailbox = IMAPMailbox(settings: Self.settings(host: "192.0.2.1", port: 143, security: .none))
        do {
            _ = try await mailbox.status()
            Issue.record("clear text to a remote host was allowed")
        } catch {
            #expect(error.kind == .failed)
            #expect(error.message.contains("loopback") && error.message.contains("192.0.2.1"), "\(error)")
        }
        // No connection was opened, and the error is the settings' (`failed`), not a connect timeout's
        // (`unreachable`), which is what trying 192.0.2.1 would have given.
        #expect(await mailbox.connectionsOpened() == 0)
    }

    @Test func implicitTLSAndStartTLSWithThePrivateCA() async throws {
        let peer = try DovecotPeer(tls: true)
        try peer.deliver(IMAPMailboxTests.message(1))
        let tlsPort = try #require(peer.tlsPort)
        let implicit = IMAPMailbox(
            settings: Self.settings(host: "localhost", port: tlsPort, security: .tls, caFile: peer.caFile))
        let status = try await implicit.status()
        #expect(status.messages == 1)
        let message = try await implicit.fetch(uid: 1, uidValidity: status.uidValidity)
        #expect(message.bytes == IMAPMailboxTests.message(1))
        let upgraded = IMAPMailbox(
            settings: Self.settings(port: peer.port, security: .starttls, caFile: peer.caFile))
        #expect(try await upgraded.uids(after: 0, limit: 5) == [1])
        #expect(peer.log().contains("TLS"), "Dovecot's log shows the TLS logins")
    }

    @Test func untrustedCertificateIsUnreachable() async throws {
        let peer = try DovecotPeer(tls: true)
        let tlsPort = try #require(peer.tlsPort)
        let mailbox = IMAPMailbox(settings: Self.settings(port: tlsPort, security: .tls))
        do {
            _ = try await mailbox.status()
            Issue.record("a certificate from an unknown CA was accepted")
        } catch {
            #expect(error.kind == .unreachable, "\(error)")
        }
    }

    @Test func startTLSRequiredWhenTheServerHasNone() async throws {
        let peer = try DovecotPeer()
        let mailbox = IMAPMailbox(settings: Self.settings(port: peer.port, security: .starttls))
        do {
            _ = try await mailbox.status()
            Issue.record("logged in without TLS although STARTTLS is required")
        } catch {
            #expect(error.kind == .unreachable, "\(error)")
        }
        #expect(!peer.log().contains("Login: user=<\(DovecotPeer.user)>"))
    }

    @Test(arguments: [("xoauth2", "XOAUTH2"), ("xoauth2 oauthbearer", "OAUTHBEARER")])
    func bearerTokenLogsIn(_ offered: String, _ used: String) async throws {
        let token = "ya29.token-\(offered.count)"
        let peer = try DovecotPeer(users: [DovecotPeer.user: token], mechanisms: offered)
        var settings = Self.settings(port: peer.port, security: .none)
        settings.password = nil
        settings.bearerToken = Secret(token)
        #expect(try await IMAPMailbox(settings: settings).status().messages == 0)
        #expect(peer.log().contains("method=\(used)"), "\(peer.log())")
        settings.bearerToken = Secret("expired-token")
        let refused = IMAPMailbox(settings: settings)
        do {
            _ = try await refused.status()
            Issue.record("a wrong token logged in")
        } catch {
            #expect(error.kind == .authentication, "\(error)")
            #expect(!error.description.contains("expired-token"))
        }
    }
}
