/// What the relay answered when it did not take a message, as the outcome policy reads it: the phase the
/// reply came at, its code, and its RFC 3463 enhanced status code when the server sent one.
///
/// NurtureCore's own input type, so the decision stays pure and independent of the transport.
package struct SMTPRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The phase the refusal answered; `nil` when the transport could not tell.
    package var phase: SMTPPhase?
    /// The basic reply code, e.g. 550, 451.
    package var code: Int
    /// The enhanced status code, e.g. `5.1.1`, when given.
    package var enhancedCode: EnhancedStatusCode?

    /// Makes a refusal; an `enhancedCode` that is not `class.subject.detail` is ignored.
    package init(phase: SMTPPhase?, code: Int, enhancedCode: String? = nil) {
        self.phase = phase
        self.code = code
        self.enhancedCode = enhancedCode.flatMap(EnhancedStatusCode.init)
    }

    /// `550 5.1.1 at RCPT TO`.
    package var description: String {
        [String(code), enhancedCode?.description, phase?.description].compactMap { $0 }.joined(separator: " ")
    }
}

/// An RFC 3463 enhanced status code, `class.subject.detail` (e.g. `5.1.1`: permanent, addressing, bad mailbox).
package struct EnhancedStatusCode: Sendable, Hashable, CustomStringConvertible {
    /// 2 success, 4 persistent transient failure, 5 permanent failure.
    package var statusClass: Int
    /// 0 other, 1 addressing, 2 mailbox, 3 mail system, 4 network and routing, 5 protocol, 6 content,
    /// 7 security or policy.
    package var subject: Int
    /// The detail within the subject.
    package var detail: Int

    /// Parses `5.1.1`; `nil` for anything else.
    package init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) }),
            let statusClass = Int(parts[0]), let subject = Int(parts[1]), let detail = Int(parts[2]),
            [2, 4, 5].contains(statusClass)
        else { return nil }
        self.init(statusClass: statusClass, subject: subject, detail: detail)
    }

    /// Makes a code from its parts.
    package init(statusClass: Int, subject: Int, detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// `5.1.1`.
    package var description: String { "\(statusClass).\(subject).\(detail)" }
}
