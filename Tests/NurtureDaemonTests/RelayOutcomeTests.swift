import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import Synchronization
import Testing

/// Phase-aware outcomes end to end: the scheduler over a real SQLite store sends through a real SMTP peer
/// (smtp-sink, aiosmtpd), and only a refusal of the recipient itself bounces the lead.
///
/// Rows run one at a time and start and stop their peers off Swift's cooperative pool, so waiting for a peer
/// never stalls other suites' tasks.
@Suite(
    .serialized,
    .enabled(
        if: (RelayPeer.hasSmtpSink && RelayPeer.hasAiosmtpd) || RelayPeer.required,
        "needs Postfix's smtp-sink and python3 with aiosmtpd (.ci/run installs them)"))
struct RelayOutcomeTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    /// What a refusal does to the lead, its first send and the relay.
    enum Effect: String, Sendable {
        /// The lead is bounced and suppressed; its enrollment ends.
        case bounced
        /// The send failed; the lead stays mailable and its next step is planned.
        case messageFailed
        /// The relay is paused; the send waits (deferred until the pause ends); the lead stays mailable.
        case relayPaused
        /// The send is retried later; the lead stays mailable.
        case retried
    }

    struct Row: Sendable, CustomTestStringConvertible {
        /// smtp-sink flags, or `nil` for aiosmtpd.
        var sinkFlags: [String]?
        var recipient: String
        var mailReply: String?
        var effect: Effect
        var testDescription: String {
            let peer = sinkFlags.map { "smtp-sink " + $0.joined(separator: " ") } ?? "aiosmtpd"
            return "\(peer) \(mailReply ?? recipient) → \(effect.rawValue)"
        }
    }

    static let rows: [Row] = [
        Row(sinkFlags: ["-f", "CONNECT"], recipient: "greeting@example.com", effect: .relayPaused),
        Row(sinkFlags: ["-f", "EHLO", "-f", "HELO"], recipient: "ehlo@example.com", effect: .relayPaused),
        Row(sinkFlags: ["-f", "MAIL"], recipient: "mail@example.com", effect: .relayPaused),
        Row(sinkFlags: ["-r", "MAIL"], recipient: "mail4xx@example.com", effect: .retried),
        Row(sinkFlags: ["-f", "RCPT"], recipient: "rcpt@example.com", effect: .relayPaused),
        Row(sinkFlags: ["-f", "DATA"], recipient: "data@example.com", effect: .relayPaused),
        Row(sinkFlags: ["-f", "."], recipient: "dot@example.com", effect: .messageFailed),
        Row(sinkFlags: ["-Q", "."], recipient: "dot421@example.com", effect: .retried),
        Row(recipient: "rcpt5xx@example.com", effect: .bounced),
        Row(recipient: "relaydeny@example.com", effect: .relayPaused),
        Row(recipient: "blockdot@example.com", effect: .relayPaused),
        Row(recipient: "fulldot@example.com", effect: .messageFailed),
        Row(recipient: "gonedot@example.com", effect: .bounced),
        Row(recipient: "dot5xx@example.com", effect: .messageFailed),
        Row(recipient: "ada@example.com", mailReply: "553 5.7.1 Sender address rejected", effect: .relayPaused),
    ]

    @Test(arguments: rows)
    func refusalAffectsTheLeadByPhase(_ row: Row) async throws {
        let peer = try await RelayPeer.start(sinkFlags: row.sinkFlags, mailReply: row.mailReply)
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning, relay: Self.loopback(peer.port))
        try await fixture.add(row.recipient)
        await fixture.scheduler.pass()

        let address = try EmailAddress(row.recipient)
        let lead = try #require(try await fixture.store.lead(address))
        let suppressed = try await fixture.store.isSuppressed(
            fixture.configuration.addressKeying.suppressionKey(for: address))
        let sends = try await fixture.sends(row.recipient)
        let first = try #require(sends.first)
        let pauses = try await fixture.store.relayPauses()
        let context = "\(sends.map { "\($0.state): \($0.reason ?? "")" }) \(fixture.events.lines.withLock { $0 })"
        switch row.effect {
        case .bounced:
            #expect(lead.hasBounced && suppressed, "\(context)")
            #expect(first.state == .failed, "\(context)")
            #expect(try await fixture.store.enrollments(for: address).last?.endReason == .bounced)
            #expect(pauses.isEmpty)
        case .messageFailed:
            #expect(!lead.hasBounced && !suppressed, "\(context)")
            #expect(sends.map(\.state) == [.failed, .planned], "the next step is planned: \(context)")
            #expect(first.reason?.contains("the lead stays mailable") == true, "\(context)")
            #expect(pauses.isEmpty)
        case .relayPaused:
            #expect(!lead.hasBounced && !suppressed, "\(context)")
            #expect(sends.map(\.state) == [.deferred], "\(context)")
            #expect(first.reason?.contains("paused until") == true, "\(context)")
            #expect(pauses.map(\.relay) == ["127.0.0.1:2525"], "\(context)")
            #expect(try await fixture.store.enrollments(for: address).last?.isActive == true)
            #expect(
                fixture.events.lines.withLock { $0 }.filter { $0.hasPrefix("relay 127.0.0.1:2525 refused") }.count
                    == 1, "one error line for the pause: \(context)")
        case .retried:
            #expect(!lead.hasBounced && !suppressed, "\(context)")
            #expect(sends.map(\.state) == [.deferred], "\(context)")
            #expect(first.reason?.contains("paused") == false, "\(context)")
            #expect(pauses.isEmpty)
        }
    }

    @Test("50 due sends against smtp-sink -f MAIL: at most 2 reach the relay, none bounced; all wait on the pause")
    func pauseHoldsTheQueue() async throws {
        let sink = try await RelayPeer.start(sinkFlags: ["-f", "MAIL"])
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning, relay: Self.loopback(sink.port))
        let leads = (0..<50).map { "queue\($0)@example.com" }
        for lead in leads { try await fixture.add(lead) }
        await fixture.scheduler.pass()
        let sessions = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: sink.stopAndCountSessions()) }
        }
        print("relay pause: 50 due sends, \(sessions) transfer(s) reached smtp-sink -f MAIL")
        #expect((1...2).contains(sessions), "transfers that reached the relay: \(sessions)")
        var bounced = 0
        var states: [SendState: Int] = [:]
        for lead in leads {
            if try await fixture.store.lead(EmailAddress(lead))?.hasBounced == true { bounced += 1 }
            for send in try await fixture.sends(lead) { states[send.state, default: 0] += 1 }
        }
        #expect(bounced == 0)
        #expect((states[.deferred] ?? 0) + (states[.held] ?? 0) == 50, "\(states)")
        let pause = try #require(try await fixture.store.relayPauses().first)
        #expect(pause.refusals == 1)
        #expect(pause.until == Self.tuesdayMorning.addingTimeInterval(30))
        let errors = fixture.events.lines.withLock { $0 }.filter { $0.hasPrefix("relay 127.0.0.1:2525 refused") }
        #expect(errors.count == 1, "one error line per pause, not per send: \(errors)")
    }

    @Test("a paused relay is probed after the backoff: refused probes double it, an accepted one ends the pause")
    func pauseEndsWhenTheRelayAcceptsAgain() async throws {
        let peer = try await RelayPeer.start(mailReply: "550 5.7.1 Sender address rejected: access denied")
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning, relay: Self.loopback(peer.port))
        let leads = (0..<20).map { "resume\($0)@example.com" }
        for lead in leads { try await fixture.add(lead) }
        await fixture.scheduler.pass()
        let first = peer.mailCommands()
        #expect((1...2).contains(first), "MAIL commands before the pause: \(first)")
        // 30 s later one probe goes, is refused, and the pause doubles to 60 s.
        await fixture.advance(by: .seconds(31))
        #expect(peer.mailCommands() == first + 1, "one probe")
        let doubled = try #require(try await fixture.store.relayPauses().first)
        #expect(doubled.refusals == 2)
        #expect(doubled.until == fixture.clock.now().addingTimeInterval(60))
        // Nothing goes before the pause ends.
        await fixture.advance(by: .seconds(30))
        #expect(peer.mailCommands() == first + 1)
        // The relay accepts again: the next probe ends the pause and every held send goes out.
        try FileManager.default.removeItem(at: peer.refusalSwitch)
        await fixture.advance(by: .seconds(31))
        #expect(try await fixture.store.relayPauses().isEmpty, "the accepted probe ended the pause")
        await fixture.advance(by: .seconds(11))
        #expect(peer.captured() == 20, "every held send went out once the relay accepted")
        for lead in leads {
            let address = try EmailAddress(lead)
            #expect(try await fixture.store.lead(address)?.hasBounced == false)
            #expect(try await fixture.sends(lead).first?.state == .sent)
        }
        #expect(fixture.events.lines.withLock { $0 }.contains { $0.hasPrefix("relay 127.0.0.1:2525 accepts again") })
    }

    /// The configured relay's settings pointed at a loopback peer in clear text.
    static func loopback(_ port: Int) -> @Sendable (RelayConfiguration) -> RelayConfiguration {
        { configuration in
            var relay = configuration
            relay.host = "127.0.0.1"
            relay.port = port
            relay.security = .plain
            relay.username = nil
            relay.password = nil
            relay.replyTimeout = .seconds(10)
            return relay
        }
    }
}
