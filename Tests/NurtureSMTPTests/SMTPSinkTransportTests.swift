import Foundation
import NurtureCore
import NurtureSMTP
import NurtureTestSupport
import Testing

/// Delivery and each fault class against Postfix's own `smtp-sink`, a server the transport was not written
/// against.
///
/// smtp-sink's fault flags apply to every session, so the fault tests route one transport through a
/// ``LoopbackSwitch``: its first connection reaches a faulty sink; after the fault the switch points new
/// connections at a clean sink. The message after the fault can only succeed on a fresh connection: a
/// reused one would still lead to the faulty sink.
@Suite(
    .ownQueue,
    .enabled(
        if: TestTools.hasSmtpSink || TestTools.peersRequired,
        "needs Postfix's smtp-sink (Debian package postfix; .ci/run installs it)"))
struct SMTPSinkTransportTests {
    @Test(arguments: [1, 4])
    func deliversManyMessagesOverReusedConnections(poolSize: Int) async throws {
        let sink = try SMTPSink()
        let transport = try SMTPTransport(
            configuration: TestMessages.loopbackRelay(port: sink.port, poolSize: poolSize))
        let count = 400
        let outcomes = await withTaskGroup(of: DeliveryOutcome.self) { group in
            for number in 0..<count {
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
        #expect(outcomes.count == count)
        #expect(outcomes.allSatisfy { $0.kind == .accepted }, "\(outcomes.filter { $0.kind != .accepted }.prefix(3))")
        #expect(opened == poolSize, "one connection per slot, reused for every message")
        // smtp-sink counts a session when it ends: after shutdown every connection has sent QUIT.
        let counts = try await sink.waitForCounts { $0.sessions >= poolSize && $0.messages >= count }
        #expect(counts == SMTPSink.Counts(sessions: poolSize, quits: poolSize, messages: count))
        #expect(try await sink.waitForDumps(count) == count)
        let prefix = "X-Rcpt-Args: "
        let recipients = try sink.dumps().compactMap { dump in
            dump.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }
        let expected = Set((0..<count).map { "<lead\($0)@example.com>" })
        #expect(recipients.count == count)
        #expect(Set(recipients).symmetricDifference(expected).isEmpty, "every recipient arrived exactly once")
    }

    struct Fault: Sendable, CustomTestStringConvertible {
        let flags: [String]
        let kind: DeliveryOutcome.Kind
        let code: Int
        var replyTimeout: Duration = .seconds(10)
        var curlCode: Int?
        var testDescription: String { "\(flags.joined(separator: " ")) → \(kind.rawValue) \(code)" }
    }

    static let faults: [Fault] = [
        Fault(flags: ["-r", "RCPT"], kind: .deferred, code: 450),
        Fault(flags: ["-f", "RCPT"], kind: .failed, code: 500),
        Fault(flags: ["-Q", "RCPT"], kind: .deferred, code: 421),
        Fault(flags: ["-q", "RCPT"], kind: .deferred, code: 250),
        Fault(flags: ["-f", "MAIL"], kind: .failed, code: 500),
        Fault(flags: ["-r", "DATA"], kind: .deferred, code: 450),
        Fault(flags: ["-r", "."], kind: .deferred, code: 450, curlCode: 8),
        Fault(flags: ["-f", "."], kind: .failed, code: 500, curlCode: 8),
        Fault(flags: ["-Q", "."], kind: .deferred, code: 421),
        // The body went out and no reply came back: the message may have been delivered.
        Fault(flags: ["-q", "."], kind: .unknown, code: 354),
        // The sink answers the final dot after 30 s; the transport gives up after its 1 s reply timeout.
        Fault(flags: ["-W", ".:30"], kind: .unknown, code: 354, replyTimeout: .seconds(1), curlCode: 28),
    ]

    @Test(arguments: faults)
    func classifiesFaultThenRecoversOnFreshConnection(_ fault: Fault) async throws {
        let faulty = try SMTPSink(faults: fault.flags)
        let clean = try SMTPSink()
        let relay = try LoopbackSwitch(upstream: faulty.port)
        let transport = try SMTPTransport(
            configuration: TestMessages.loopbackRelay(port: relay.port, replyTimeout: fault.replyTimeout))
        let outcome = await transport.send(
            TestMessages.message(to: "fault@example.com", number: 1),
            envelope: TestMessages.envelope(to: "fault@example.com"))
        relay.route(to: clean.port)
        let next = await transport.send(
            TestMessages.message(to: "after@example.com", number: 2),
            envelope: TestMessages.envelope(to: "after@example.com"))
        let opened = await transport.connectionsOpened()
        await transport.shutdown()

        #expect(outcome.kind == fault.kind, "\(outcome)")
        #expect(outcome.reply?.code == fault.code, "\(outcome)")
        if let curlCode = fault.curlCode {
            #expect(outcome.transportDetail?.hasPrefix("curl \(curlCode):") == true, "\(outcome)")
        }
        // The transport drops the connection at the fault: about two reply timeouts at most (the dot, then the
        // QUIT), never the sink's 30 s delay. Timed by the switch, on its own threads: a clock read in this task
        // would also count the time the task waited for a cooperative thread, which on a 2-core runner with
        // blocking suites alongside reached 33 s for faults answered at once.
        let lifetimes = relay.lifetimes(to: faulty.port)
        #expect(lifetimes.count == 1, "the faulty connection was closed, once")
        #expect(lifetimes.allSatisfy { $0 < .seconds(25) }, "the outcome never waits for the server's 30 s delay")
        #expect(next.kind == .accepted, "\(next)")
        #expect(opened == 2, "the handle is replaced after the fault")
        #expect(relay.connections(to: faulty.port) == 1, "the faulty connection was not reused")
        #expect(relay.connections(to: clean.port) == 1)
        let counts = try await clean.waitForCounts { $0.sessions >= 1 }
        #expect(counts == SMTPSink.Counts(sessions: 1, quits: 1, messages: 1))
        let dumps = try clean.dumps()
        #expect(dumps.count == 1)
        #expect(dumps.first?.contains("X-Rcpt-Args: <after@example.com>\n") == true)
    }
}
