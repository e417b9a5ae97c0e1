import NurtureCore
import NurtureSMTP

extension TransferReply {
    /// `outcome` of attempt `attempt` of send `sendID`, as a shared store saves it.
    init(_ outcome: DeliveryOutcome, sendID: Int64, attempt: Int) {
        self.init(
            sendID: sendID, attempt: attempt, result: outcome.kind, code: outcome.reply?.code,
            enhancedCode: outcome.reply?.enhancedCode, text: outcome.reply?.text, phase: outcome.phase,
            transportDetail: outcome.transportDetail)
    }
}

extension DeliveryOutcome {
    /// The outcome a daemon saved before it stopped (``TransferReply``).
    init(saved reply: TransferReply) {
        self.init(
            kind: reply.result,
            reply: reply.code.map { SMTPReply(code: $0, enhancedCode: reply.enhancedCode, text: reply.text ?? "") },
            transportDetail: reply.transportDetail, phase: reply.phase)
    }
}
