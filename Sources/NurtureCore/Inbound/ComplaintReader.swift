import Foundation

/// Reads a complaint: an RFC 5965 ARF report (`multipart/report; report-type=feedback-report`, its
/// `message/feedback-report` part read field by field), or a report that only returns our message, attached to
/// mail from a feedback-loop address (`abuse@`, `fbl@`, `complaints@`, `scomp@`, Microsoft JMRP).
enum ComplaintReader {
    private static let feedbackLoopNames: Set<String> = [
        "abuse", "fbl", "complaints", "complaint", "feedback", "feedbackloop", "feedback-loop", "scomp", "arf",
        "spam", "spamreport", "junkmail", "fbl-reports", "staff",
    ]
    private static let complaintSubjects = ["complaint", "abuse report", "spam report", "feedback loop", "fbl report"]

    /// The complaint and its evidence, or `nil` when `message` is no complaint.
    static func read(_ message: InboundMessage) -> (InboundClassification.Complaint, evidence: String)? {
        if let report = message.entity("message/feedback-report") {
            let fields = MIMEHeaders.groups(report.decodedBody[...], limit: 1).first ?? MIMEHeaders()
            let feedbackType = fields.value("feedback-type").map {
                HeaderValues.oneLine($0, limit: 40).lowercased().trimmingASCIIWhitespace()
            }
            let recipient =
                (fields.value("original-rcpt-to") ?? fields.value("removal-recipient"))
                .flatMap { HeaderValues.addresses($0).first } ?? returnedRecipient(message)
            let complaint = InboundClassification.Complaint(
                feedbackType: feedbackType, recipient: recipient,
                originalMessageID: message.returnedMessageID
                    ?? DeliveryReportReader.quotedMessageID(
                        in: message.reportText))
            return (complaint, "ARF feedback report, Feedback-Type: \(feedbackType ?? "missing")")
        }
        let jmrp = message.headers.value("x-hmxmroriginalrecipient")
        let subject = message.subject.lowercased()
        let fromLoop = message.fromLocalPart(in: feedbackLoopNames)
        let complaintSubject = complaintSubjects.first { subject.contains($0) }
        guard jmrp != nil || fromLoop || complaintSubject != nil, let returned = message.returnedHeaders,
            returned.has("message-id") || returned.has("from")
        else { return nil }
        let recipient = jmrp.flatMap { HeaderValues.addresses($0).first } ?? returnedRecipient(message)
        let complaint = InboundClassification.Complaint(
            feedbackType: "abuse", recipient: recipient, originalMessageID: message.returnedMessageID)
        let why =
            jmrp != nil ? "X-HmXmrOriginalRecipient" : fromLoop ? "from \(message.from ?? "")" : "subject"
        return (complaint, "returned message in a feedback-loop report (\(why))")
    }

    private static func returnedRecipient(_ message: InboundMessage) -> String? {
        message.returnedHeaders?.value("to").flatMap { HeaderValues.addresses($0).first }
    }
}
