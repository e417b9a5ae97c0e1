import NurtureCore
import NurtureSMTP
import Testing

@Suite struct ReplyClassifierTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let curl: Int
        let code: Int
        let lines: [String]
        let expected: DeliveryOutcome.Kind
        var testDescription: String { "curl \(curl), reply \(code) → \(expected.rawValue)" }
    }

    static let cases: [Case] = [
        Case(curl: 0, code: 250, lines: ["250 2.0.0 Ok: queued as ABC"], expected: .accepted),
        Case(curl: 55, code: 450, lines: ["450 4.2.1 Mailbox busy"], expected: .deferred),
        Case(curl: 55, code: 421, lines: ["421 4.3.2 Shutting down"], expected: .deferred),
        Case(curl: 55, code: 550, lines: ["550 5.1.1 No such user"], expected: .failed),
        Case(curl: 8, code: 451, lines: ["451 4.3.0 Try later"], expected: .deferred),
        Case(curl: 8, code: 554, lines: ["554 5.6.0 Rejected"], expected: .failed),
        Case(curl: 28, code: 354, lines: ["354 End data with <CR><LF>.<CR><LF>"], expected: .unknown),
        Case(curl: 56, code: 354, lines: ["354 go ahead"], expected: .unknown),
        Case(curl: 55, code: 354, lines: ["354 go ahead"], expected: .unknown),
        Case(curl: 7, code: 0, lines: [], expected: .deferred),
        Case(curl: 6, code: 0, lines: [], expected: .deferred),
        Case(curl: 28, code: 220, lines: ["220 hello"], expected: .deferred),
        Case(curl: 28, code: 250, lines: ["250 2.1.0 Ok"], expected: .deferred),
        Case(curl: 64, code: 250, lines: ["250 SIZE"], expected: .configurationError),
        Case(
            curl: 67, code: 535, lines: ["535 5.7.8 Authentication credentials invalid"], expected: .configurationError),
        Case(curl: 60, code: 0, lines: [], expected: .configurationError),
        Case(curl: 35, code: 0, lines: [], expected: .configurationError),
        Case(curl: 0, code: 0, lines: [], expected: .unknown),
    ]

    @Test(arguments: cases)
    func classifies(_ c: Case) {
        let outcome = ReplyClassifier.classify(
            curlCode: c.curl, curlMessage: "message", responseCode: c.code, replyLines: c.lines)
        #expect(outcome.kind == c.expected)
        if c.code > 0 { #expect(outcome.reply?.code == c.code) }
    }

    @Test func keepsQueueIdAndEnhancedCodeOfAcceptedReply() {
        let outcome = ReplyClassifier.classify(
            curlCode: 0, curlMessage: "", responseCode: 250,
            replyLines: ["250-smtp.example.com", "250 SIZE 1000", "250 2.0.0 Ok: queued as 4F2A1"])
        #expect(outcome.reply == SMTPReply(code: 250, enhancedCode: "2.0.0", text: "Ok: queued as 4F2A1"))
        #expect(outcome.description == "accepted: 250 2.0.0 Ok: queued as 4F2A1")
    }

    @Test func failureDescriptionCarriesCurlDetail() {
        let outcome = ReplyClassifier.classify(
            curlCode: 28, curlMessage: "Operation timed out", responseCode: 354, replyLines: ["354 go ahead"])
        #expect(outcome.description == "unknown: 354 go ahead (curl 28: Operation timed out)")
    }
}

@Suite struct SMTPReplyTests {
    @Test func parsesMultiLineReply() {
        let reply = SMTPReply.lastReply(in: ["250-first", "250-second", "250 third"])
        #expect(reply == SMTPReply(code: 250, text: "first / second / third"))
    }

    @Test func takesOnlyTheLastReply() {
        let reply = SMTPReply.lastReply(in: ["220 hi", "250 2.1.0 Ok", "550 5.1.1 <x@example.com>: unknown"])
        #expect(reply == SMTPReply(code: 550, enhancedCode: "5.1.1", text: "<x@example.com>: unknown"))
    }

    @Test func findsTheRefusalBeforeLibcurlsQuit() {
        // libcurl sends QUIT after a refused RCPT within the same transfer; the refusal is what matters.
        let lines = ["250 2.1.0 Ok", "550 5.7.1 Sender not permitted", "221 Bye"]
        let outcome = ReplyClassifier.classify(
            curlCode: 55, curlMessage: "RCPT failed: 550", responseCode: 550, replyLines: lines)
        #expect(outcome.kind == .failed)
        #expect(outcome.reply == SMTPReply(code: 550, enhancedCode: "5.7.1", text: "Sender not permitted"))
        #expect(SMTPReply.lastReply(in: lines)?.code == 221)
    }

    @Test func enhancedCodeMustMatchClass() {
        #expect(SMTPReply.lastReply(in: ["550 4.1.1 odd"])?.enhancedCode == nil)
        #expect(SMTPReply.lastReply(in: ["550 5.7.1 denied"])?.isSenderPolicyRejection == true)
        #expect(SMTPReply.lastReply(in: ["550 5.1.1 unknown user"])?.isSenderPolicyRejection == false)
    }

    @Test func ignoresNonReplyLines() {
        #expect(SMTPReply.lastReply(in: ["hello", "25 short", "abc def"]) == nil)
        #expect(SMTPReply.lastReply(in: ["221"])?.code == 221)
    }
}
