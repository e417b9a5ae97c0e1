import Foundation
import NurtureCore
import NurtureSMTP
import NurtureTestSupport
import Synchronization
import Testing

/// The moment the transfer journal writes `started`: right before the first body byte, after the relay's 354,
/// against a real aiosmtpd server.
@Suite(
    .enabled(if: TestTools.hasAiosmtpd || TestTools.peersRequired, "needs python3 with aiosmtpd (.ci/run installs it)"))
struct BodyStartHookTests {
    /// Counts the calls of a `beforeBody` hook and answers with `allow`.
    final class Hook: Sendable {
        let calls = Mutex(0)
        let allow: Bool

        init(allow: Bool) { self.allow = allow }

        var closure: @Sendable () -> Bool {
            { [self] in
                calls.withLock { $0 += 1 }
                return allow
            }
        }
    }

    @Test("the hook runs once per delivered message, and the message arrives")
    func calledOnceBeforeTheBody() async throws {
        let peer = try AioSMTPPeer()
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: peer.port))
        let hook = Hook(allow: true)
        for number in 0..<3 {
            let outcome = await transport.send(
                TestMessages.message(to: "ada\(number)@example.com", number: number),
                envelope: TestMessages.envelope(to: "ada\(number)@example.com"), beforeBody: hook.closure)
            #expect(outcome.kind == .accepted)
        }
        await transport.shutdown()
        #expect(hook.calls.withLock { $0 } == 3)
        #expect(try peer.capturedMessages().count == 3)
    }

    @Test(
        "a refusal before DATA never reaches the hook: nothing of the body can have left",
        arguments: ["rcpt4xx@example.com", "rcpt5xx@example.com", "rcpt421@example.com"])
    func notCalledWhenRefusedBeforeData(recipient: String) async throws {
        let peer = try AioSMTPPeer()
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: peer.port))
        let hook = Hook(allow: true)
        let outcome = await transport.send(
            TestMessages.message(to: recipient, number: 1), envelope: TestMessages.envelope(to: recipient),
            beforeBody: hook.closure)
        await transport.shutdown()
        #expect(outcome.kind != .accepted)
        #expect(hook.calls.withLock { $0 } == 0)
    }

    @Test("a hook that refuses stops the transfer before the body: deferred, nothing captured, the next one goes")
    func refusalStopsBeforeTheBody() async throws {
        let peer = try AioSMTPPeer()
        let transport = try SMTPTransport(configuration: TestMessages.loopbackRelay(port: peer.port))
        let refused = await transport.send(
            TestMessages.message(to: "ada@example.com", number: 1),
            envelope: TestMessages.envelope(to: "ada@example.com"),
            beforeBody: Hook(allow: false).closure)
        #expect(refused.kind == .deferred)
        #expect(refused.transportDetail?.contains("transfer journal") == true, "\(refused)")
        let next = await transport.send(
            TestMessages.message(to: "bob@example.com", number: 2),
            envelope: TestMessages.envelope(to: "bob@example.com"),
            beforeBody: Hook(allow: true).closure)
        await transport.shutdown()
        #expect(next.kind == .accepted)
        let captured = try peer.capturedMessages()
        #expect(captured.count == 1, "only the second message arrived")
    }
}
