import NurtureCore
import Testing

/// Every phase × reply class, and the enhanced codes that decide otherwise: only a refusal of the recipient
/// itself bounces the lead.
@Suite("Outcome policy")
struct OutcomePolicyTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var phase: SMTPPhase?
        var code: Int
        var enhanced: String?
        var effect: OutcomePolicy.Effect
        var ground: OutcomePolicy.Ground
        var testDescription: String {
            "\(phase?.rawValue ?? "unknown phase") \(code) \(enhanced ?? "-") → \(effect.rawValue) (\(ground.rawValue))"
        }
    }

    /// Each phase with a 4xx, a bare 5xx and a 5.7.x: 4xx retries everywhere, 5.7.x pauses the relay everywhere.
    static let phaseByClass: [Row] =
        (SMTPPhase.allCases.map(Optional.some) + [nil]).flatMap { phase -> [Row] in
            let bare: (OutcomePolicy.Effect, OutcomePolicy.Ground) =
                switch phase {
                case .greeting, .hello: (.pauseRelay, .session)
                case .auth: (.pauseRelay, .authentication)
                case .mailFrom: (.pauseRelay, .sender)
                case .rcptTo: (.bounceRecipient, .recipientAddress)
                case .data: (.pauseRelay, .session)
                case .endOfData, nil: (.failMessage, .messageContent)
                }
            return [
                Row(phase: phase, code: 421, enhanced: "4.3.2", effect: .retry, ground: .temporary),
                Row(phase: phase, code: 451, enhanced: nil, effect: .retry, ground: .temporary),
                Row(phase: phase, code: 550, enhanced: nil, effect: bare.0, ground: bare.1),
                Row(phase: phase, code: 554, enhanced: "5.7.1", effect: .pauseRelay, ground: .policy),
                Row(phase: phase, code: 535, enhanced: "5.7.8", effect: .pauseRelay, ground: .policy),
            ]
        }

    /// The enhanced codes that refine a phase's default.
    static let enhancedCodes: [Row] = [
        // RCPT TO: the mailbox and the address are the recipient's; the rest is not.
        Row(phase: .rcptTo, code: 550, enhanced: "5.1.1", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .rcptTo, code: 550, enhanced: "5.1.10", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .rcptTo, code: 550, enhanced: "5.2.1", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .rcptTo, code: 550, enhanced: "5.4.1", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .rcptTo, code: 550, enhanced: "5.0.0", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .rcptTo, code: 552, enhanced: "5.2.2", effect: .failMessage, ground: .mailboxFull),
        Row(phase: .rcptTo, code: 552, enhanced: "5.3.4", effect: .failMessage, ground: .messageSize),
        Row(phase: .rcptTo, code: 554, enhanced: "5.6.0", effect: .failMessage, ground: .messageContent),
        Row(phase: .rcptTo, code: 500, enhanced: "5.3.0", effect: .pauseRelay, ground: .session),
        Row(phase: .rcptTo, code: 501, enhanced: "5.5.2", effect: .pauseRelay, ground: .protocolError),
        Row(phase: .rcptTo, code: 553, enhanced: "5.1.7", effect: .pauseRelay, ground: .sender),
        Row(phase: .rcptTo, code: 553, enhanced: "5.1.8", effect: .pauseRelay, ground: .sender),
        // "Relay access denied" is about the relay, not the recipient.
        Row(phase: .rcptTo, code: 554, enhanced: "5.7.1", effect: .pauseRelay, ground: .policy),
        // MAIL FROM: the sender, unless the size was refused.
        Row(phase: .mailFrom, code: 552, enhanced: "5.3.4", effect: .failMessage, ground: .messageSize),
        Row(phase: .mailFrom, code: 550, enhanced: "5.1.1", effect: .pauseRelay, ground: .sender),
        // DATA: the session, unless content or size.
        Row(phase: .data, code: 554, enhanced: "5.6.0", effect: .failMessage, ground: .messageContent),
        Row(phase: .data, code: 552, enhanced: "5.2.3", effect: .failMessage, ground: .messageSize),
        Row(phase: .data, code: 554, enhanced: "5.5.1", effect: .pauseRelay, ground: .session),
        // The final dot: a dead mailbox bounces; a full one or the content fails the message.
        Row(phase: .endOfData, code: 550, enhanced: "5.1.1", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .endOfData, code: 550, enhanced: "5.1.2", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .endOfData, code: 550, enhanced: "5.2.1", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .endOfData, code: 550, enhanced: "5.2.0", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .endOfData, code: 552, enhanced: "5.2.2", effect: .failMessage, ground: .mailboxFull),
        Row(phase: .endOfData, code: 552, enhanced: "5.2.3", effect: .failMessage, ground: .messageSize),
        Row(phase: .endOfData, code: 554, enhanced: "5.6.0", effect: .failMessage, ground: .messageContent),
        Row(phase: .endOfData, code: 500, enhanced: "5.3.0", effect: .failMessage, ground: .messageContent),
        Row(phase: .endOfData, code: 550, enhanced: "5.7.1", effect: .pauseRelay, ground: .policy),
        Row(phase: .endOfData, code: 550, enhanced: "5.7.26", effect: .pauseRelay, ground: .policy),
        Row(phase: .endOfData, code: 553, enhanced: "5.1.8", effect: .pauseRelay, ground: .sender),
        // The greeting, EHLO and AUTH never bounce a recipient, whatever the enhanced code says.
        Row(phase: .greeting, code: 554, enhanced: "5.1.1", effect: .pauseRelay, ground: .session),
        Row(phase: .hello, code: 550, enhanced: "5.2.1", effect: .pauseRelay, ground: .session),
        Row(phase: .auth, code: 535, enhanced: nil, effect: .pauseRelay, ground: .authentication),
        // An enhanced code of another class than the reply's is ignored; a malformed one too.
        Row(phase: .rcptTo, code: 550, enhanced: "4.7.1", effect: .bounceRecipient, ground: .recipientAddress),
        Row(phase: .endOfData, code: 550, enhanced: "5.x.1", effect: .failMessage, ground: .messageContent),
    ]

    @Test(arguments: phaseByClass)
    func everyPhaseByClass(_ row: Row) {
        let decision = OutcomePolicy.decide(SMTPRefusal(phase: row.phase, code: row.code, enhancedCode: row.enhanced))
        #expect(decision == OutcomePolicy.Decision(row.effect, row.ground))
    }

    @Test(arguments: enhancedCodes)
    func enhancedCodesRefineThePhase(_ row: Row) {
        let decision = OutcomePolicy.decide(SMTPRefusal(phase: row.phase, code: row.code, enhancedCode: row.enhanced))
        #expect(decision == OutcomePolicy.Decision(row.effect, row.ground))
    }

    @Test("only RCPT TO and the final dot can bounce a recipient")
    func onlyRecipientPhasesBounce() {
        for phase in SMTPPhase.allCases {
            for code in 500..<560 {
                for enhanced in [nil, "5.1.1", "5.2.1", "5.0.0", "5.4.4"] {
                    let effect = OutcomePolicy.decide(SMTPRefusal(phase: phase, code: code, enhancedCode: enhanced))
                        .effect
                    if effect == .bounceRecipient {
                        #expect(phase == .rcptTo || phase == .endOfData, "\(phase) \(code) \(enhanced ?? "-")")
                    }
                }
            }
        }
    }

    @Test("a command's verb names the phase it starts; other lines start none")
    func phaseOfCommand() {
        #expect(SMTPPhase.started(byCommand: "EHLO nurture") == .hello)
        #expect(SMTPPhase.started(byCommand: "helo x") == .hello)
        #expect(SMTPPhase.started(byCommand: "STARTTLS") == .hello)
        #expect(SMTPPhase.started(byCommand: "AUTH PLAIN AGh1") == .auth)
        #expect(SMTPPhase.started(byCommand: "MAIL FROM:<a@b.example>") == .mailFrom)
        #expect(SMTPPhase.started(byCommand: "RCPT TO:<a@b.example>") == .rcptTo)
        #expect(SMTPPhase.started(byCommand: "DATA") == .data)
        #expect(SMTPPhase.started(byCommand: "QUIT") == nil)
        #expect(SMTPPhase.started(byCommand: "dXNlcg==") == nil, "an AUTH LOGIN continuation keeps the phase")
    }
}
