/// Decides what a refusal from the relay means for the lead, the message and the relay: only a permanent
/// refusal of the recipient itself suppresses the lead. Pure: the refusal comes in, a decision goes out.
///
/// The phase the reply answered decides first, the RFC 3463 enhanced code refines it:
///
/// | phase | 4xx | 5xx, no enhanced code or an unlisted one | enhanced codes that decide otherwise |
/// | --- | --- | --- | --- |
/// | greeting, EHLO, AUTH | retry | pause relay | — |
/// | MAIL FROM | retry | pause relay | 5.2.3, 5.3.4 (message too big): fail message |
/// | RCPT TO | retry | bounce recipient | 5.7.x, 5.1.7, 5.1.8 (sender, relay access, policy), 5.3.x (the mail system), 5.5.x (protocol)†: pause relay; 5.2.2 (mailbox full), 5.2.3, 5.3.4, 5.6.x: fail message |
/// | DATA | retry | pause relay | 5.2.3, 5.3.4, 5.6.x: fail message |
/// | final dot | retry | fail message | 5.1.x (but 5.1.7, 5.1.8), 5.2.0, 5.2.1: bounce recipient; 5.7.x, 5.1.7, 5.1.8: pause relay |
/// | unknown | retry | fail message | as after the final dot |
///
/// † 5.5.x at RCPT TO: the relay did not understand the command, which is not the recipient's fault.
///
/// Choices made where RFC 3463 leaves room:
/// - 5.7.x anywhere is about the sender or the relay (relay access denied, blocklisted IP, SPF/DMARC,
///   authentication required), even at RCPT TO: the relay is paused, the lead stays mailable. A domain that
///   refuses only us for policy reasons therefore pauses the relay until a probe to another lead succeeds.
/// - 5.2.2 (mailbox full) is the mailbox's state, not a dead address: the message fails, the lead stays
///   mailable and its next step is sent as planned.
/// - A 5xx after the final dot without an enhanced code is taken as a refusal of this message's content.
package enum OutcomePolicy {
    /// What a refusal leads to.
    package enum Effect: String, Sendable, Hashable, CaseIterable {
        /// The recipient's address is refused for good: the lead is marked bounced and suppressed.
        case bounceRecipient = "bounce-recipient"
        /// This message is refused: it is recorded failed; the lead stays mailable and its sequence goes on.
        case failMessage = "fail-message"
        /// The relay refuses the sender, the login or the session: every message would meet the same refusal.
        /// Sends through the relay pause with backoff; this one goes back to waiting; the lead stays mailable.
        case pauseRelay = "pause-relay"
        /// A temporary refusal: retry this message later with backoff.
        case retry
    }

    /// What a refusal was about, for the operator.
    package enum Ground: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case temporary
        case recipientAddress = "recipient-address"
        case mailboxFull = "mailbox-full"
        case messageSize = "message-size"
        case messageContent = "message-content"
        case sender
        case policy
        case authentication
        case session
        case protocolError = "protocol"

        package var description: String {
            switch self {
            case .temporary: "a temporary refusal"
            case .recipientAddress: "the recipient's address was refused"
            case .mailboxFull: "the recipient's mailbox is full"
            case .messageSize: "the message is too big for the relay"
            case .messageContent: "the relay refused this message"
            case .sender: "the relay refused the sender"
            case .policy: "the relay refused by policy (relay access, reputation, SPF/DMARC)"
            case .authentication: "the relay refused the login"
            case .session: "the relay refused the session"
            case .protocolError: "the relay did not accept the command"
            }
        }
    }

    /// The effect of a refusal, and what it was about.
    package struct Decision: Sendable, Hashable {
        package var effect: Effect
        package var ground: Ground

        package init(_ effect: Effect, _ ground: Ground) {
            self.effect = effect
            self.ground = ground
        }
    }

    /// Decides what `refusal` means. Codes below 400 (nothing was refused) are treated as temporary.
    package static func decide(_ refusal: SMTPRefusal) -> Decision {
        guard refusal.code >= 500, refusal.code < 600 else { return Decision(.retry, .temporary) }
        let enhanced = refusal.enhancedCode.flatMap { $0.statusClass == 5 ? $0 : nil }
        if let enhanced, isPolicy(enhanced) { return Decision(.pauseRelay, .policy) }
        if let enhanced, isSender(enhanced) { return Decision(.pauseRelay, .sender) }
        switch refusal.phase {
        case .greeting, .hello: return Decision(.pauseRelay, .session)
        case .auth: return Decision(.pauseRelay, .authentication)
        case .mailFrom:
            if let enhanced, isMessageSize(enhanced) { return Decision(.failMessage, .messageSize) }
            return Decision(.pauseRelay, .sender)
        case .rcptTo:
            guard let enhanced else { return Decision(.bounceRecipient, .recipientAddress) }
            if isMailboxFull(enhanced) { return Decision(.failMessage, .mailboxFull) }
            if isMessageSize(enhanced) { return Decision(.failMessage, .messageSize) }
            switch enhanced.subject {
            case 3: return Decision(.pauseRelay, .session)
            case 5: return Decision(.pauseRelay, .protocolError)
            case 6: return Decision(.failMessage, .messageContent)
            default: return Decision(.bounceRecipient, .recipientAddress)
            }
        case .data:
            if let enhanced, isMessageSize(enhanced) { return Decision(.failMessage, .messageSize) }
            if let enhanced, enhanced.subject == 6 { return Decision(.failMessage, .messageContent) }
            return Decision(.pauseRelay, .session)
        case .endOfData, nil:
            guard let enhanced else { return Decision(.failMessage, .messageContent) }
            if isMailboxFull(enhanced) { return Decision(.failMessage, .mailboxFull) }
            if isMessageSize(enhanced) { return Decision(.failMessage, .messageSize) }
            if isDeadMailbox(enhanced) { return Decision(.bounceRecipient, .recipientAddress) }
            return Decision(.failMessage, .messageContent)
        }
    }

    /// 5.7.x: security or policy (relay access denied, blocklisted, SPF/DMARC, authentication required).
    private static func isPolicy(_ code: EnhancedStatusCode) -> Bool { code.subject == 7 }

    /// 5.1.7 bad sender's mailbox address syntax, 5.1.8 bad sender's system address.
    private static func isSender(_ code: EnhancedStatusCode) -> Bool {
        code.subject == 1 && (code.detail == 7 || code.detail == 8)
    }

    /// 5.2.3 message length exceeds administrative limit, 5.3.4 message too big for system.
    private static func isMessageSize(_ code: EnhancedStatusCode) -> Bool {
        (code.subject == 2 && code.detail == 3) || (code.subject == 3 && code.detail == 4)
    }

    /// 5.2.2 mailbox full.
    private static func isMailboxFull(_ code: EnhancedStatusCode) -> Bool { code.subject == 2 && code.detail == 2 }

    /// After the final dot, the codes that say the recipient's address is dead: 5.1.x addressing (bad mailbox,
    /// bad destination system, moved, null MX; not the sender's 5.1.7/5.1.8), 5.2.0 and 5.2.1 (disabled).
    private static func isDeadMailbox(_ code: EnhancedStatusCode) -> Bool {
        code.subject == 1 || (code.subject == 2 && (code.detail == 0 || code.detail == 1))
    }
}
