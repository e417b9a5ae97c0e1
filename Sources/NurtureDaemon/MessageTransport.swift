public import NurtureSMTP

/// Hands one composed message to a relay and classifies the result. ``SMTPTransport`` in the daemon;
/// scheduler unit tests script outcomes with their own conformer.
public protocol MessageTransport: Sendable {
    func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome
    /// Closes connections after running transfers finish.
    func shutdown() async
}

extension SMTPTransport: MessageTransport {}
