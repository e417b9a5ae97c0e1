package import Foundation

/// Reads one incoming message from its raw bytes (RFC 5322 / MIME, any charset, possibly malformed) and says what
/// it is: delivery report, complaint, automatic reply, opt-out, reply or unrelated. Pure and total: no input
/// crashes it; unreadable mail is `unrelated` with the reason in ``InboundReading/evidence``.
package enum InboundClassifier {
    /// Classifies `raw`. `now` is when it was received (a return date without a year is read relative to it,
    /// or to the message's `Date`).
    package static func read(_ raw: [UInt8], now: Date) -> InboundReading {
        // Contract placeholder: the classifier is being built (issue 14); until then everything is unrelated.
        InboundReading(classification: .unrelated, evidence: "classifier not built yet", headers: InboundHeaders())
    }
}
