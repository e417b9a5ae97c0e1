import NurtureCore
package import NurtureSMTP

/// Hands one composed message to a relay and classifies the result. ``SMTPTransport`` in the daemon;
/// scheduler unit tests script outcomes with their own conformer.
package protocol MessageTransport: Sendable {
    func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome
    /// Sends like ``send(_:envelope:)`` and calls `beforeBody` once right before the first byte of the body goes
    /// out; when it returns `false`, nothing of the body is sent and the outcome is `deferred`. The transfer
    /// journal writes its `started` record there.
    func send(
        _ message: [UInt8], envelope: Envelope, beforeBody: @escaping @Sendable () -> Bool
    ) async -> DeliveryOutcome
    /// Closes connections after running transfers finish.
    func shutdown() async
}

extension MessageTransport {
    /// For a transport that cannot tell when the body starts: `beforeBody` runs before the transfer (so a
    /// transfer refused before the body still counts as started: conservative).
    package func send(
        _ message: [UInt8], envelope: Envelope, beforeBody: @escaping @Sendable () -> Bool
    ) async -> DeliveryOutcome {
        guard beforeBody() else {
            return DeliveryOutcome(
                kind: .deferred, reply: nil,
                transportDetail: "stopped before the body: the transfer journal could not be written; nothing was sent")
        }
        return await send(message, envelope: envelope)
    }
}

extension SMTPTransport: MessageTransport {
    package func send(
        _ message: [UInt8], envelope: Envelope, beforeBody: @escaping @Sendable () -> Bool
    ) async -> DeliveryOutcome {
        await send(message, envelope: envelope, beforeBody: Optional(beforeBody))
    }
}
