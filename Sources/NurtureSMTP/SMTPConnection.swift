import Dispatch
import NurtureCore

/// One connection slot of the pool: a libcurl handle that keeps its SMTP connection open between
/// messages, and the serial queue its blocking calls run on (never Swift's cooperative pool).
///
/// After any transfer that did not end `accepted`, the handle is thrown away so the next message opens
/// a fresh connection: a late reply on a timed-out connection would otherwise be read as the reply to
/// the next command (the desync documented for libcurl 7.88.1).
final class SMTPConnection: @unchecked Sendable {
    // `handle` and `configuration` are touched only on `queue`.
    private var handle: CurlSMTPHandle?
    private let configuration: RelayConfiguration
    /// The serial queue this slot's transfers run on.
    let queue: DispatchQueue
    /// How many TCP connections this slot opened (a fresh handle per connection).
    private(set) var handlesCreated = 0

    init(configuration: RelayConfiguration, index: Int) {
        self.configuration = configuration
        self.queue = DispatchQueue(label: "nurture.smtp.connection.\(index)")
    }

    /// Sends one message. Must be called on `queue`. `beforeBody` runs right before the first body byte goes out
    /// (see ``SMTPTransport/send(_:envelope:beforeBody:)``).
    func send(envelope: Envelope, message: [UInt8], beforeBody: (@Sendable () -> Bool)? = nil) -> DeliveryOutcome {
        dispatchPrecondition(condition: .onQueue(queue))
        if handle == nil {
            handle = CurlSMTPHandle(configuration: configuration)
            handlesCreated += 1
        }
        guard let handle else {
            return DeliveryOutcome(
                kind: .configurationError, reply: nil,
                transportDetail:
                    "libcurl could not be initialised or rejected the relay settings for \(configuration.url)")
        }
        let result = handle.send(
            sender: envelope.sender.description, recipient: envelope.recipient.description, body: message,
            beforeBody: beforeBody)
        let outcome =
            result.bodyRefused
            ? DeliveryOutcome(kind: .deferred, reply: nil, transportDetail: Self.bodyRefusedDetail)
            : ReplyClassifier.classify(
                curlCode: result.curlCode, curlMessage: result.curlMessage, responseCode: result.responseCode,
                replyLines: result.replyLines, linePhases: result.linePhases)
        if outcome.kind != .accepted {
            handle.prepareToDiscard()
            self.handle = nil
        }
        return outcome
    }

    /// Why a transfer stopped before its body: the daemon could not record that the body was going out.
    static let bodyRefusedDetail =
        "stopped before the body: the transfer journal could not be written; nothing was sent"

    /// Closes the connection (QUIT). Must be called on `queue`.
    func close() {
        dispatchPrecondition(condition: .onQueue(queue))
        handle = nil
    }
}
