/// The classes every transfer to the relay falls into; each tells the scheduler what to do next.
package enum DeliveryResult: String, Sendable, Hashable, CaseIterable, Codable {
    /// The server took responsibility for the message (2xx after the final dot).
    case accepted
    /// A temporary refusal (4xx), or nothing was accepted (connection refused or lost before the body):
    /// retry later with backoff.
    case deferred
    /// A permanent refusal (5xx): do not retry this message to this recipient.
    case failed
    /// The connection was lost after the body was sent: the message may have been delivered.
    /// Never resend silently.
    case unknown
    /// TLS or login problem: the relay settings are wrong. Stop using this sender; keep the queue.
    case configurationError = "configuration-error"
}
