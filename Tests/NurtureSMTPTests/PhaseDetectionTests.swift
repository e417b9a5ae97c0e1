import Foundation
import NurtureCore
import NurtureSMTP
import NurtureTestSupport
import Testing

/// The SMTP phase of every refusal, detected against the real peers, and what the outcome policy makes of it:
/// a table of phase × reply code → outcome → effect on the lead, one row per fault, every column asserted.
///
/// Rows run one at a time and start their peers off Swift's cooperative pool: starting a peer waits for it
/// to listen, and thirty of them blocking the pool's threads at once would stall the other suites' tasks.
@Suite(
    .ownQueue,
    .serialized,
    .enabled(
        if: (TestTools.hasSmtpSink && TestTools.hasAiosmtpd) || TestTools.peersRequired,
        "needs Postfix's smtp-sink and python3 with aiosmtpd (.ci/run installs them)"))
struct PhaseDetectionTests {
    /// One refusal: how the peer is made to refuse, and what must come of it.
    struct Row: Sendable, CustomTestStringConvertible {
        enum Peer: Sendable {
            /// smtp-sink with these fault flags.
            case sink([String])
            /// aiosmtpd (`Tests/Support/smtp_peer.py`), the fault chosen by the recipient or a MAIL FROM reply.
            case aiosmtpd(recipient: String, mailReply: String? = nil, wrongPassword: Bool = false)
        }

        let peer: Peer
        let kind: DeliveryOutcome.Kind
        let code: Int
        let enhanced: String?
        let phase: SMTPPhase?
        /// What the scheduler does (`nil` for outcomes that are not refusals: unknown, accepted).
        let effect: OutcomePolicy.Effect?

        var testDescription: String {
            let source =
                switch peer {
                case .sink(let flags): "smtp-sink " + flags.joined(separator: " ")
                case .aiosmtpd(let recipient, let mailReply, let wrongPassword):
                    "aiosmtpd " + (mailReply.map { "MAIL→\($0)" } ?? (wrongPassword ? "wrong password" : recipient))
                }
            return "\(source) → \(kind.rawValue) \(code) \(phase?.rawValue ?? "-") → \(effect?.rawValue ?? "-")"
        }
    }

    static let rows: [Row] = [
        // smtp-sink: -f hard 5xx (500 5.3.0), -r soft 4xx (450 4.3.0), -Q 421 and close, -q close without reply.
        Row(
            peer: .sink(["-f", "CONNECT"]), kind: .failed, code: 500, enhanced: "5.3.0", phase: .greeting,
            effect: .pauseRelay),
        Row(
            peer: .sink(["-r", "CONNECT"]), kind: .deferred, code: 450, enhanced: "4.3.0", phase: .greeting,
            effect: .retry),
        Row(
            peer: .sink(["-Q", "CONNECT"]), kind: .deferred, code: 421, enhanced: "4.0.0", phase: .greeting,
            effect: .retry),
        // libcurl falls back from a refused EHLO to HELO: both must be refused.
        Row(
            peer: .sink(["-f", "EHLO", "-f", "HELO"]), kind: .failed, code: 500, enhanced: "5.3.0", phase: .hello,
            effect: .pauseRelay),
        Row(
            peer: .sink(["-r", "EHLO", "-r", "HELO"]), kind: .deferred, code: 450, enhanced: "4.3.0", phase: .hello,
            effect: .retry),
        // -q closes without a reply: the last reply read is the one before, and says nothing was refused.
        Row(
            peer: .sink(["-q", "MAIL"]), kind: .deferred, code: 250, enhanced: nil, phase: .hello, effect: .retry),
        Row(
            peer: .sink(["-q", "RCPT"]), kind: .deferred, code: 250, enhanced: "2.1.0", phase: .mailFrom,
            effect: .retry),
        Row(
            peer: .sink(["-q", "DATA"]), kind: .deferred, code: 250, enhanced: "2.1.5", phase: .rcptTo,
            effect: .retry),
        Row(
            peer: .sink(["-Q", "EHLO"]), kind: .deferred, code: 421, enhanced: "4.0.0", phase: .hello,
            effect: .retry),
        Row(
            peer: .sink(["-f", "MAIL"]), kind: .failed, code: 500, enhanced: "5.3.0", phase: .mailFrom,
            effect: .pauseRelay),
        Row(
            peer: .sink(["-r", "MAIL"]), kind: .deferred, code: 450, enhanced: "4.3.0", phase: .mailFrom,
            effect: .retry),
        Row(
            peer: .sink(["-Q", "MAIL"]), kind: .deferred, code: 421, enhanced: "4.0.0", phase: .mailFrom,
            effect: .retry),
        // 5.3.0 names the mail system, not the mailbox: not the recipient's fault.
        Row(
            peer: .sink(["-f", "RCPT"]), kind: .failed, code: 500, enhanced: "5.3.0", phase: .rcptTo,
            effect: .pauseRelay),
        Row(
            peer: .sink(["-r", "RCPT"]), kind: .deferred, code: 450, enhanced: "4.3.0", phase: .rcptTo,
            effect: .retry),
        Row(
            peer: .sink(["-Q", "RCPT"]), kind: .deferred, code: 421, enhanced: "4.0.0", phase: .rcptTo,
            effect: .retry),
        Row(
            peer: .sink(["-f", "DATA"]), kind: .failed, code: 500, enhanced: "5.3.0", phase: .data,
            effect: .pauseRelay),
        Row(
            peer: .sink(["-r", "DATA"]), kind: .deferred, code: 450, enhanced: "4.3.0", phase: .data,
            effect: .retry),
        Row(
            peer: .sink(["-Q", "DATA"]), kind: .deferred, code: 421, enhanced: "4.0.0", phase: .data,
            effect: .retry),
        Row(
            peer: .sink(["-f", "."]), kind: .failed, code: 500, enhanced: "5.3.0", phase: .endOfData,
            effect: .failMessage),
        Row(
            peer: .sink(["-r", "."]), kind: .deferred, code: 450, enhanced: "4.3.0", phase: .endOfData,
            effect: .retry),
        Row(
            peer: .sink(["-Q", "."]), kind: .deferred, code: 421, enhanced: "4.0.0", phase: .endOfData,
            effect: .retry),
        // The body went out, no reply: the DATA command's 354 is the last reply read.
        Row(peer: .sink(["-q", "."]), kind: .unknown, code: 354, enhanced: nil, phase: .data, effect: nil),
        // aiosmtpd with enhanced codes.
        Row(
            peer: .aiosmtpd(recipient: "rcpt5xx@example.com"), kind: .failed, code: 550, enhanced: "5.1.1",
            phase: .rcptTo, effect: .bounceRecipient),
        Row(
            peer: .aiosmtpd(recipient: "relaydeny@example.com"), kind: .failed, code: 554, enhanced: "5.7.1",
            phase: .rcptTo, effect: .pauseRelay),
        Row(
            peer: .aiosmtpd(recipient: "policy5xx@example.com"), kind: .failed, code: 550, enhanced: "5.7.1",
            phase: .rcptTo, effect: .pauseRelay),
        Row(
            peer: .aiosmtpd(recipient: "rcpt4xx@example.com"), kind: .deferred, code: 450, enhanced: "4.2.1",
            phase: .rcptTo, effect: .retry),
        Row(
            peer: .aiosmtpd(recipient: "blockdot@example.com"), kind: .failed, code: 550, enhanced: "5.7.1",
            phase: .endOfData, effect: .pauseRelay),
        Row(
            peer: .aiosmtpd(recipient: "fulldot@example.com"), kind: .failed, code: 552, enhanced: "5.2.2",
            phase: .endOfData, effect: .failMessage),
        Row(
            peer: .aiosmtpd(recipient: "gonedot@example.com"), kind: .failed, code: 550, enhanced: "5.1.1",
            phase: .endOfData, effect: .bounceRecipient),
        Row(
            peer: .aiosmtpd(recipient: "dot5xx@example.com"), kind: .failed, code: 554, enhanced: "5.6.0",
            phase: .endOfData, effect: .failMessage),
        Row(
            peer: .aiosmtpd(recipient: "dot4xx@example.com"), kind: .deferred, code: 451, enhanced: "4.3.0",
            phase: .endOfData, effect: .retry),
        Row(
            peer: .aiosmtpd(recipient: "ada@example.com", mailReply: "553 5.7.1 Sender address rejected"),
            kind: .failed, code: 553, enhanced: "5.7.1", phase: .mailFrom, effect: .pauseRelay),
        Row(
            peer: .aiosmtpd(recipient: "ada@example.com", mailReply: "550 Sender refused"),
            kind: .failed, code: 550, enhanced: nil, phase: .mailFrom, effect: .pauseRelay),
        // A refused login is a configuration error (curl 67), recorded at AUTH: the scheduler pauses the relay.
        Row(
            peer: .aiosmtpd(recipient: "ada@example.com", wrongPassword: true), kind: .configurationError,
            code: 535, enhanced: "5.7.8", phase: .auth, effect: .pauseRelay),
    ]

    @Test(arguments: rows)
    func detectsPhaseAndEffect(_ row: Row) async throws {
        let outcome: DeliveryOutcome
        switch row.peer {
        case .sink(let flags):
            let sink = try await offPool { try SMTPSink(faults: flags) }
            outcome = try await TestMessages.sendOne(through: TestMessages.loopbackRelay(port: sink.port), to: nil)
        case .aiosmtpd(let recipient, let mailReply, let wrongPassword):
            var options = AioSMTPPeer.Options(mailReply: mailReply)
            if wrongPassword {
                options.authMechanism = "PLAIN"
                options.password = "right"
            }
            let settings = options
            let peer = try await offPool { try AioSMTPPeer(settings) }
            var relay = TestMessages.loopbackRelay(port: peer.port)
            if wrongPassword {
                relay.username = "nurture"
                relay.password = Secret("wrong")
            }
            outcome = try await TestMessages.sendOne(through: relay, to: recipient)
            #expect(try peer.capturedMessages().isEmpty, "a refused message is not captured")
        }
        #expect(outcome.kind == row.kind, "\(outcome)")
        #expect(outcome.reply?.code == row.code, "\(outcome)")
        #expect(outcome.reply?.enhancedCode == row.enhanced, "\(outcome)")
        #expect(outcome.phase == row.phase, "\(outcome)")
        let effect: OutcomePolicy.Effect? =
            switch outcome.kind {
            case .failed: OutcomePolicy.decide(try #require(outcome.refusal)).effect
            case .deferred: .retry
            case .configurationError: .pauseRelay
            case .accepted, .unknown: nil
            }
        #expect(effect == row.effect, "\(outcome)")
    }
}

/// Runs blocking work (starting a peer and waiting for it to listen) on a Dispatch thread, not on the pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
