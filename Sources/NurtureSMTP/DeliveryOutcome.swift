package import NurtureCore

/// The classified result of handing one message to the relay.
package struct DeliveryOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The classes every attempt falls into; each tells the scheduler what to do next (``OutcomePolicy``).
    package typealias Kind = DeliveryResult

    /// The class of the outcome.
    package let kind: Kind
    /// The server's last reply, when one was read (for `accepted`, the final-dot reply with the queue id).
    package let reply: SMTPReply?
    /// libcurl's code and explanation when the transfer did not complete, e.g. `curl 28: Operation timed out`.
    package let transportDetail: String?
    /// The SMTP phase ``reply`` answered (greeting, EHLO, AUTH, MAIL FROM, RCPT TO, DATA, final dot), when
    /// known: what a refusal was about depends on it (see ``OutcomePolicy``).
    package let phase: SMTPPhase?

    /// Makes an outcome.
    package init(kind: Kind, reply: SMTPReply?, transportDetail: String? = nil, phase: SMTPPhase? = nil) {
        self.kind = kind
        self.reply = reply
        self.transportDetail = transportDetail
        self.phase = phase
    }

    /// The reply as the outcome policy reads it (phase, code, enhanced code); `nil` when no reply was read.
    package var refusal: SMTPRefusal? {
        reply.map { SMTPRefusal(phase: phase, code: $0.code, enhancedCode: $0.enhancedCode) }
    }

    /// One line for logs and the operator: `accepted: 250 2.0.0 Ok: queued as ABC`.
    package var description: String {
        var parts = [kind.rawValue + ":"]
        if let reply { parts.append(reply.description) }
        if let phase, reply != nil { parts.append("(\(phase))") }
        if let transportDetail { parts.append(reply == nil ? transportDetail : "(\(transportDetail))") }
        if reply == nil, transportDetail == nil { parts.append("no reply") }
        return parts.joined(separator: " ")
    }
}
