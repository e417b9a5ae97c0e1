import Foundation
import NurtureCore
import NurtureSMTP
import NurtureTestSupport
import Testing

/// Delivery and every fault class against a real aiosmtpd server that captures messages byte for byte.
@Suite(
    .enabled(if: TestTools.hasAiosmtpd || TestTools.peersRequired, "needs python3 with aiosmtpd (.ci/run installs it)"))
struct AiosmtpdTransportTests {
    @Test func deliversByteExactWithDotLines() async throws {
        let peer = try AioSMTPPeer()
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: peer.port))
        let message = TestMessages.message(to: "ada@example.com", number: 1)
        let outcome = await transport.send(message, envelope: TestMessages.envelope(to: "ada@example.com"))
        await transport.shutdown()
        #expect(outcome.kind == .accepted)
        #expect(outcome.reply?.text == "Ok: queued as Q0001")
        let captured = try peer.capturedMessages()
        #expect(captured.count == 1)
        #expect(captured.first.map(Array.init) == message)
        let envelope = try #require(try peer.capturedEnvelopes().first)
        #expect(envelope.from == "marketing@nurture.test")
        #expect(envelope.to == ["ada@example.com"])
    }

    @Test func reusesConnectionsAcrossManyMessages() async throws {
        let peer = try AioSMTPPeer()
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: peer.port, poolSize: 2))
        let outcomes = await withTaskGroup(of: DeliveryOutcome.self) { group in
            for number in 0..<60 {
                group.addTask {
                    await transport.send(
                        TestMessages.message(to: "lead\(number)@example.com", number: number),
                        envelope: TestMessages.envelope(to: "lead\(number)@example.com"))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let opened = await transport.connectionsOpened()
        await transport.shutdown()
        #expect(outcomes.allSatisfy { $0.kind == .accepted })
        #expect(try peer.capturedMessages().count == 60)
        #expect(opened == 2)
        #expect(peer.events().filter { $0 == "CONNECT" }.count == 2)
    }

    struct Fault: Sendable, CustomTestStringConvertible {
        let recipient: String
        let kind: DeliveryOutcome.Kind
        let code: Int
        var testDescription: String { "\(recipient) → \(kind.rawValue) \(code)" }
    }

    static let faults: [Fault] = [
        Fault(recipient: "rcpt4xx@example.com", kind: .deferred, code: 450),
        Fault(recipient: "rcpt5xx@example.com", kind: .failed, code: 550),
        Fault(recipient: "policy5xx@example.com", kind: .failed, code: 550),
        Fault(recipient: "rcpt421@example.com", kind: .deferred, code: 421),
        Fault(recipient: "dot4xx@example.com", kind: .deferred, code: 451),
        Fault(recipient: "dot5xx@example.com", kind: .failed, code: 554),
        Fault(recipient: "dropdot@example.com", kind: .unknown, code: 354),
    ]

    @Test(arguments: faults)
    func classifiesFaultThenRecoversOnFreshConnection(_ fault: Fault) async throws {
        let peer = try AioSMTPPeer()
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: peer.port))
        let first = await transport.send(
            TestMessages.message(to: "warmup@example.com", number: 0),
            envelope: TestMessages.envelope(to: "warmup@example.com"))
        let outcome = await transport.send(
            TestMessages.message(to: fault.recipient, number: 1), envelope: TestMessages.envelope(to: fault.recipient))
        let next = await transport.send(
            TestMessages.message(to: "after@example.com", number: 2),
            envelope: TestMessages.envelope(to: "after@example.com"))
        let opened = await transport.connectionsOpened()
        await transport.shutdown()
        #expect(first.kind == .accepted)
        #expect(outcome.kind == fault.kind, "\(outcome)")
        #expect(outcome.reply?.code == fault.code, "\(outcome)")
        if fault.recipient.hasPrefix("policy") { #expect(outcome.reply?.isSenderPolicyRejection == true, "\(outcome)") }
        #expect(next.kind == .accepted, "\(next)")
        #expect(opened == 2, "a fresh connection follows any failure")
        #expect(peer.events().filter { $0 == "CONNECT" }.count == 2)
    }

    @Test func slowFinalDotIsUnknownAndNextMessageIsNotDesynchronised() async throws {
        let peer = try AioSMTPPeer(.init(slowSeconds: 3))
        let transport = try SMTPTransport(
            configuration: TestMessages.loopbackRelay(port: peer.port, replyTimeout: .seconds(1)))
        let slow = await transport.send(
            TestMessages.message(to: "slowdot@example.com", number: 1),
            envelope: TestMessages.envelope(to: "slowdot@example.com"))
        let next = await transport.send(
            TestMessages.message(to: "next@example.com", number: 2),
            envelope: TestMessages.envelope(to: "next@example.com"))
        await transport.shutdown()
        #expect(slow.kind == .unknown, "\(slow)")
        #expect(slow.reply?.code == 354)
        #expect(slow.transportDetail?.hasPrefix("curl 28") == true)
        // The next message got its own reply on its own connection, not the late reply of the first.
        #expect(next.kind == .accepted, "\(next)")
        #expect(next.reply?.text == "Ok: queued as Q0002")
        // The slow message really was delivered: that is why "unknown" must never be resent silently.
        #expect(try await peer.waitForCaptures(2) == 2)
    }

    @Test func startTLSRequiredButNotOfferedSendsNothingInClear() async throws {
        let peer = try AioSMTPPeer()
        var relay = TestMessages.loopbackRelay(port: peer.port)
        relay.security = .startTLS
        relay.username = "nurture"
        relay.password = Secret("do-not-leak")
        let outcome = try await TestMessages.sendOne(through: relay)
        #expect(outcome.kind == .configurationError, "\(outcome)")
        #expect(outcome.transportDetail?.hasPrefix("curl 64") == true)
        #expect(peer.events() == ["CONNECT"], "only EHLO may happen before TLS: no AUTH, no MAIL")
        #expect(try peer.capturedMessages().isEmpty)
    }

    @Test(
        .enabled(
            if: TestTools.hasOpenSSL || TestTools.peersRequired, "needs the openssl command for a test certificate"))
    func startTLSWithTrustedCertificateDelivers() async throws {
        let certificate = try TestCertificate.make()
        let peer = try AioSMTPPeer(.init(tls: certificate))
        var relay = TestMessages.loopbackRelay(port: peer.port)
        relay.security = .startTLS
        relay.caFile = certificate.certificate.path
        let outcome = try await TestMessages.sendOne(through: relay)
        #expect(outcome.kind == .accepted, "\(outcome)")
        #expect(try peer.capturedEnvelopes().first?.tls == true)
    }

    @Test(
        .enabled(
            if: TestTools.hasOpenSSL || TestTools.peersRequired, "needs the openssl command for a test certificate"))
    func implicitTLSDelivers() async throws {
        let certificate = try TestCertificate.make()
        let peer = try AioSMTPPeer(.init(tls: certificate, implicitTLS: true))
        var relay = TestMessages.loopbackRelay(port: peer.port)
        relay.security = .implicitTLS
        relay.caFile = certificate.certificate.path
        #expect(relay.url.hasPrefix("smtps://"))
        let outcome = try await TestMessages.sendOne(through: relay)
        #expect(outcome.kind == .accepted, "\(outcome)")
        #expect(try peer.capturedEnvelopes().first?.tls == true)
    }

    @Test(
        .enabled(
            if: TestTools.hasOpenSSL || TestTools.peersRequired, "needs the openssl command for a test certificate"))
    func untrustedCertificateIsConfigurationError() async throws {
        let certificate = try TestCertificate.make()
        let peer = try AioSMTPPeer(.init(tls: certificate))
        var relay = TestMessages.loopbackRelay(port: peer.port)
        relay.security = .startTLS
        relay.caFile = nil  // system trust store: the self-signed certificate must be refused
        let outcome = try await TestMessages.sendOne(through: relay)
        #expect(outcome.kind == .configurationError, "\(outcome)")
        #expect(peer.events().filter { $0.hasPrefix("MAIL") }.isEmpty)
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func authenticatesWithEachMechanism(_ mechanism: String) async throws {
        let peer = try AioSMTPPeer(.init(authMechanism: mechanism, user: "nurture", password: "s3cret pass"))
        var relay = TestMessages.loopbackRelay(port: peer.port)
        relay.username = "nurture"
        relay.password = Secret("s3cret pass")
        let outcome = try await TestMessages.sendOne(through: relay)
        #expect(outcome.kind == .accepted, "\(outcome)")
        #expect(peer.events().contains("AUTH mechanism=\(mechanism) ok=True"))
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func wrongPasswordIsConfigurationError(_ mechanism: String) async throws {
        let peer = try AioSMTPPeer(.init(authMechanism: mechanism, user: "nurture", password: "right"))
        var relay = TestMessages.loopbackRelay(port: peer.port)
        relay.username = "nurture"
        relay.password = Secret("wrong")
        let outcome = try await TestMessages.sendOne(through: relay)
        #expect(outcome.kind == .configurationError, "\(outcome)")
        #expect(outcome.transportDetail?.hasPrefix("curl 67") == true)
        #expect(!outcome.description.contains("wrong"), "the password never appears in an outcome")
        #expect(try peer.capturedMessages().isEmpty)
    }

    @Test func connectionRefusedIsDeferred() async throws {
        let port = try LoopbackPorts.find()
        let outcome = try await TestMessages.sendOne(through: TestMessages.loopbackRelay(port: port))
        #expect(outcome.kind == .deferred, "\(outcome)")
        #expect(outcome.transportDetail?.hasPrefix("curl 7") == true)
    }
}
