import Foundation
import NurtureCore
import NurtureSMTP
import NurtureTestSupport
import Testing

/// ``IMAPMailbox`` against a real Dovecot: numbering, windows, byte-exact fetches that leave the owner's inbox
/// untouched, the processed keyword, and every failure kind. What the server holds is checked with `doveadm`,
/// never with the reader under test.
@Suite(
    .ownQueue, .serialized,
    .enabled(if: DovecotPeer.canRun, "needs Dovecot (Debian dovecot-imapd; scripts/install-deps.sh)"))
struct IMAPMailboxTests {
    static func settings(
        _ peer: DovecotPeer, password: String = DovecotPeer.password, window: Int = 200, maxBytes: Int = 10 << 20
    ) -> MailboxSettings {
        MailboxSettings(
            name: "test", host: "127.0.0.1", port: peer.port, security: .none, username: DovecotPeer.user,
            password: Secret(password), connectTimeout: .seconds(5), commandTimeout: .seconds(10), window: window,
            maxMessageBytes: maxBytes)
    }

    /// A message with CRLF line endings, UTF-8 text and a raw 8-bit byte (0xE9, not UTF-8) in its last line.
    static func message(_ number: Int, body: String = "Grüße, Zoë — 8-bit body") -> [UInt8] {
        let text = [
            "From: Ada Lead <ada@lead.test>", "To: marketing@nurture.test", "Subject: Re: hello \(number)",
            "Message-ID: <reply-\(number)@lead.test>", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit", "", body, "", "> quoted line", "",
        ].joined(separator: "\r\n")
        return Array(text.utf8) + [0xE9, 0x0D, 0x0A]
    }

    @Test func statusOfEmptyAndFilledMailbox() async throws {
        let peer = try DovecotPeer()
        let mailbox = IMAPMailbox(settings: Self.settings(peer))
        let empty = try await mailbox.status()
        #expect(empty.messages == 0 && empty.unseen == 0 && empty.uidNext == 1)
        try peer.deliver([Self.message(1), Self.message(2), Self.message(3)])
        try peer.addFlag("\\Seen", uid: 2)
        let filled = try await mailbox.status()
        let truth = try peer.status()
        #expect(filled == MailboxStatus(uidValidity: truth.uidValidity, uidNext: 4, messages: 3, unseen: 2))
        #expect(try await mailbox.uids(after: 0, limit: 10) == [1, 2, 3])
        #expect(try await mailbox.uids(after: 2, limit: 10) == [3])
        #expect(try await mailbox.uids(after: 3, limit: 10) == [])
        #expect(await mailbox.connectionsOpened() == 1)
    }

    @Test func searchesInWindowsAcrossManyMessages() async throws {
        let peer = try DovecotPeer()
        try peer.deliver((1...450).map { Self.message($0, body: "m\($0)") })
        try peer.expunge(uid: 200)
        try peer.expunge(uid: 201)
        let mailbox = IMAPMailbox(settings: Self.settings(peer, window: 200))
        let all = try await mailbox.uids(after: 0, limit: 1000)
        #expect(try all == peer.uids())
        #expect(all.count == 448 && all.first == 1 && all.last == 450)
        #expect(try await mailbox.uids(after: 150, limit: 100) == Array(151...199) + Array(202...252))
        #expect(try await mailbox.uids(after: 449, limit: 100) == [450])
        #expect(try await mailbox.uids(after: UInt32.max - 1, limit: 5) == [])
    }

    @Test func fetchReturnsExactBytesAndLeavesUnseenUnseen() async throws {
        let peer = try DovecotPeer()
        let unseen = Self.message(1)
        let seen = Self.message(2, body: "already read")
        try peer.deliver([unseen, seen])
        try peer.addFlag("\\Seen", uid: 2)
        let mailbox = IMAPMailbox(settings: Self.settings(peer))
        let validity = try await mailbox.status().uidValidity
        let first = try await mailbox.fetch(uid: 1, uidValidity: validity)
        #expect(first.bytes == unseen)
        #expect(first.uid == 1 && !first.wasSeen && !first.wasProcessed)
        let second = try await mailbox.fetch(uid: 2, uidValidity: validity)
        #expect(second.bytes == seen && second.wasSeen)
        let flags = try peer.flags()
        #expect(flags[1] == [])
        #expect(flags[2] == ["\\Seen"])
        #expect(await mailbox.connectionsOpened() == 1)
    }

    @Test func markProcessedSetsOnlyTheKeyword() async throws {
        let peer = try DovecotPeer()
        try peer.deliver([Self.message(1), Self.message(2)])
        try peer.addFlag("\\Seen", uid: 2)
        let mailbox = IMAPMailbox(settings: Self.settings(peer))
        let validity = try await mailbox.status().uidValidity
        try await mailbox.markProcessed(uid: 1, uidValidity: validity)
        try await mailbox.markProcessed(uid: 2, uidValidity: validity)
        try await mailbox.markProcessed(uid: 2, uidValidity: validity)
        let flags = try peer.flags()
        #expect(flags[1] == ["$NurtureProcessed"])
        #expect(flags[2] == ["\\Seen", "$NurtureProcessed"])
        #expect(try peer.status().messages == 2)
        let again = try await mailbox.fetch(uid: 1, uidValidity: validity)
        #expect(again.wasProcessed && !again.wasSeen)
        #expect(try peer.flags()[1] == ["$NurtureProcessed"])
    }

    @Test func renumberedFolderAndExpungedMessage() async throws {
        let peer = try DovecotPeer()
        try peer.deliver([Self.message(1), Self.message(2)])
        let mailbox = IMAPMailbox(settings: Self.settings(peer))
        let validity = try await mailbox.status().uidValidity
        _ = try await mailbox.fetch(uid: 1, uidValidity: validity)
        try peer.expunge(uid: 2)
        #expect(await failure { try await mailbox.fetch(uid: 2, uidValidity: validity) } == .missing)
        #expect(await failure { try await mailbox.markProcessed(uid: 2, uidValidity: validity) } == .missing)
        try peer.changeUIDValidity(to: validity &+ 1000)
        #expect(await failure { try await mailbox.fetch(uid: 1, uidValidity: validity) } == .uidValidityChanged)
        #expect(await failure { try await mailbox.markProcessed(uid: 1, uidValidity: validity) } == .uidValidityChanged)
        #expect(try peer.flags()[1] == [])
        let renumbered = try await mailbox.status().uidValidity
        #expect(renumbered == validity &+ 1000)
        #expect(try await mailbox.fetch(uid: 1, uidValidity: renumbered).bytes == Self.message(1))
    }

    @Test func wrongPasswordIsAuthenticationWithoutThePassword() async throws {
        let peer = try DovecotPeer()
        let wrong = "not-the-Secret-9f3a"
        let mailbox = IMAPMailbox(settings: Self.settings(peer, password: wrong))
        do {
            _ = try await mailbox.status()
            Issue.record("a wrong password logged in")
        } catch {
            #expect(error.kind == .authentication, "\(error)")
            #expect(!error.description.contains(wrong))
            #expect(!error.description.contains(DovecotPeer.password))
            #expect(error.description.contains("test"))
        }
    }

    @Test func stoppedServerIsUnreachable() async throws {
        let peer = try DovecotPeer()
        try peer.deliver(Self.message(1))
        let mailbox = IMAPMailbox(settings: Self.settings(peer))
        let validity = try await mailbox.status().uidValidity
        peer.stop()
        #expect(await failure { try await mailbox.status() } == .unreachable)
        try peer.restart()
        // The reader recovers on a fresh connection once the server is back.
        #expect(try await mailbox.fetch(uid: 1, uidValidity: validity).bytes == Self.message(1))
    }

    @Test func keptConnectionSurvivesServerRestart() async throws {
        let peer = try DovecotPeer()
        try peer.deliver(Self.message(1))
        let mailbox = IMAPMailbox(settings: Self.settings(peer))
        let validity = try await mailbox.status().uidValidity
        peer.stop()
        try peer.restart()
        // The kept connection is dead: libcurl (or the reader's one retry) reconnects, the caller sees no error.
        #expect(try await mailbox.uids(after: 0, limit: 5) == [1])
        try await mailbox.markProcessed(uid: 1, uidValidity: validity)
        #expect(try peer.flags()[1] == ["$NurtureProcessed"])
    }

    @Test func largerThanTheCapIsTooLargeAndUntouched() async throws {
        let peer = try DovecotPeer()
        let big = Self.message(1, body: String(repeating: "x", count: 5000))
        try peer.deliver([big, Self.message(2)])
        let mailbox = IMAPMailbox(settings: Self.settings(peer, maxBytes: 4000))
        let validity = try await mailbox.status().uidValidity
        #expect(await failure { try await mailbox.fetch(uid: 1, uidValidity: validity) } == .tooLarge)
        #expect(try peer.flags()[1] == [])
        #expect(try await mailbox.fetch(uid: 2, uidValidity: validity).bytes == Self.message(2))
    }

    @Test func missingFolderIsNamed() async throws {
        let peer = try DovecotPeer()
        var settings = Self.settings(peer)
        settings.folder = "Replies"
        let mailbox = IMAPMailbox(settings: settings)
        do {
            _ = try await mailbox.status()
            Issue.record("STATUS of a missing folder succeeded")
        } catch {
            #expect(error.kind == .failed, "\(error)")
            #expect(error.message.contains("folder Replies"))
        }
        try peer.deliver(Self.message(1), folder: "Replies")
        #expect(try await mailbox.uids(after: 0, limit: 5) == [1])
    }
}

/// The kind of the mailbox error `body` throws; `nil` when it succeeds.
func failure<T>(_ body: () async throws -> T) async -> MailboxError.Kind? {
    do {
        _ = try await body()
        return nil
    } catch {
        return (error as? MailboxError)?.kind
    }
}
