import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import Testing

/// The VERP envelope sender end to end: the scheduler over a real SQLite store sends through aiosmtpd, and the
/// captured `MAIL FROM` is the send's VERP address, which reads back to the send; the From header is unchanged.
@Suite(
    .serialized,
    .enabled(
        if: RelayPeer.hasAiosmtpd || RelayPeer.required, "needs python3 with aiosmtpd (.ci/run installs it)"))
struct VERPEnvelopeTests {
    static let verp = VERPCodec(
        localPart: "bounces", domain: "bounces.acme-analytics.example",
        secret: Array("verp-envelope-test-secret-0123456789".utf8))

    /// The envelope of every message aiosmtpd captured, in order.
    static func capturedEnvelopes(_ peer: RelayPeer) throws -> [(mailFrom: String, message: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: peer.directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let json = try Data(contentsOf: peer.directory.appendingPathComponent(name))
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let eml = peer.directory.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".eml"))
            return (try #require(object["mail_from"] as? String), try String(contentsOf: eml, encoding: .utf8))
        }
    }

    @Test("with inbound.verp the MAIL FROM is the send's VERP address; the From header stays the sender")
    func verpEnvelope() async throws {
        let peer = try await RelayPeer.start()
        let fixture = try SchedulerFixture(
            start: RelayOutcomeTests.tuesdayMorning, relay: RelayOutcomeTests.loopback(peer.port)
        ) { configuration in
            configuration.inbound.verp = Self.verp
        }
        try await fixture.add("ada@example.com")
        try await fixture.add("bo@example.com")
        await fixture.scheduler.pass()

        let envelopes = try Self.capturedEnvelopes(peer)
        #expect(envelopes.count == 2)
        var named: Set<Int64> = []
        for envelope in envelopes {
            #expect(envelope.mailFrom.hasPrefix("bounces+"), "\(envelope.mailFrom)")
            #expect(envelope.mailFrom.hasSuffix("@bounces.acme-analytics.example"))
            let id = try #require(Self.verp.sendID(in: envelope.mailFrom), "\(envelope.mailFrom)")
            named.insert(id)
            #expect(envelope.message.contains("From: "))
            #expect(!envelope.message.contains("bounces+"), "the VERP address is the envelope's only")
        }
        var sent: Set<Int64> = []
        for lead in ["ada@example.com", "bo@example.com"] {
            let send = try #require(try await fixture.sends(lead).first { $0.state == .sent })
            sent.insert(send.id)
        }
        #expect(named == sent, "each MAIL FROM names its own send")
        let sender = fixture.configuration.marketingSender.address.description
        let log = try await fixture.store.log(SendLogFilter(state: .sent))
        #expect(!log.isEmpty && log.allSatisfy { $0.sender == sender }, "the send log keeps the From address")
    }

    @Test("without inbound.verp the MAIL FROM is the From address, as before")
    func plainEnvelope() async throws {
        let peer = try await RelayPeer.start()
        let fixture = try SchedulerFixture(
            start: RelayOutcomeTests.tuesdayMorning, relay: RelayOutcomeTests.loopback(peer.port))
        try await fixture.add("ada@example.com")
        await fixture.scheduler.pass()
        let envelopes = try Self.capturedEnvelopes(peer)
        #expect(envelopes.map(\.mailFrom) == [fixture.configuration.marketingSender.address.description])
    }
}
