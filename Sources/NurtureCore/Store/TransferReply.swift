/// A transfer's outcome as the daemon that made it wrote it to a shared store the moment the relay answered,
/// ahead of the group commit that records the send: a daemon taking the row over after this one died records
/// this outcome instead of `unknown` (``ClusterStore/markStarted(_:at:saving:)``,
/// ``ClusterStore/saveReplies(_:)``, ``ReclaimedSends/replies``).
package struct TransferReply: Sendable, Hashable, Codable {
    package var sendID: Int64
    /// The attempt it answers (the row's `attempts` + 1 when it was claimed): a reply to an earlier attempt says
    /// nothing about the current one.
    package var attempt: Int
    package var result: DeliveryResult
    /// The SMTP reply, when the relay gave one.
    package var code: Int?
    package var enhancedCode: String?
    package var text: String?
    /// The command the reply answered.
    package var phase: SMTPPhase?
    /// What the transport said when there was no reply, or beside it.
    package var transportDetail: String?

    package init(
        sendID: Int64, attempt: Int, result: DeliveryResult, code: Int? = nil, enhancedCode: String? = nil,
        text: String? = nil, phase: SMTPPhase? = nil, transportDetail: String? = nil
    ) {
        self.sendID = sendID
        self.attempt = attempt
        self.result = result
        self.code = code
        self.enhancedCode = enhancedCode
        self.text = text
        self.phase = phase
        self.transportDetail = transportDetail
    }
}
