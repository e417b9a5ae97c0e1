public import NurtureCore

/// The classified result of handing one message to the relay.
public struct DeliveryOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The classes every attempt falls into; each tells the scheduler what to do next (``OutcomePolicy``).
    public typealias Kind = DeliveryResult

    /// The class of the outcome.
    public let kind: Kind
    /// The server's last reply, when one was read (for `accepted`, the final-dot reply with the queue id).
    public let reply: SMTPReply?
    /// libcurl's code and explanation when the transfer did not complete, e.g. `curl 28: Operation timed out`.
    public let transportDetail: String?
    /// The SMTP phase ``reply`` answered (greeting, EHLO, AUTH, MAIL FROM, RCPT TO, DATA, final dot), when
    /// known: what a refusal was about depends on it (see ``OutcomePolicy``).
    public let phase: SMTPPhase?

    /// Makes an outcome.
    public init(kind: Kind, reply: SMTPReply?, transportDetail: String? = nil, phase: SMTPPhase? = nil) {
        self.kind = kind
        self.reply = reply
        self.transportDetail = transportDetail
        self.phase = phase
    }

    /// The reply as the outcome policy reads it (phase, code, enhanced code); `nil` when no reply was read.
    public var refusal: SMTPRefusal? {
        reply.map { SMTPRefusal(phase: phase, code: $0.code, enhancedCode: $0.enhancedCode) }
    }

    /// One line for logs and the operator: `accepted: 250 2.0.0 Ok: queued as ABC`.
    public var description: String {
        var parts = [kind.rawValue + ":"]
        if let reply { parts.append(reply.description) }
        if let phase, reply != nil { parts.append("(\(phase))") }
        if let transportDetail { parts.append(reply == nil ? transportDetail : "(\(transportDetail))") }
        if reply == nil, transportDetail == nil { parts.append("no reply") }
        return parts.joined(separator: " ")
    }
}
