import Foundation

/// Reads the non-standard delivery reports still sent in plain text: Postfix "Undelivered Mail Returned to
/// Sender", Exim "Mail delivery failed" (`X-Failed-Recipients`), Sendmail "Returned mail", qmail "failure notice",
/// Exchange/Office 365 "Undeliverable:", Gmail "Delivery Status Notification", Yahoo "Failure Notice", Amazon SES.
/// A message is taken for one when it comes from a mailer daemon or postmaster, names failed recipients, or has a
/// bounce subject — and its text says something failed.
enum PlainBounceReader {
    private static let daemonNames: Set<String> = [
        "mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster", "mailer_daemon", "mdaemon",
    ]
    private static let subjects = [
        "undelivered mail", "undeliverable", "undelivered", "mail delivery failed", "delivery status notification",
        "returned mail", "failure notice", "delivery failure", "mail delivery failure", "delivery has failed",
        "delivery notification", "mail system error", "message not delivered", "could not send message",
        "delivery delayed", "delayed mail", "warning: could not", "non remis", "non distribuable", "unzustellbar",
        "nicht zustellbar", "no se puede entregar", "no entregado", "delivery incomplete",
    ]
    private static let failureWords = [
        "could not be delivered", "couldn't be delivered", "wasn't delivered", "was not delivered",
        "undeliverable", "delivery failed", "delivery has failed", "permanent error", "permanent fatal",
        "failed permanently", "returned to sender", "unable to deliver", "not be delivered", "failure notice",
        "delivery to the following recipient", "has been delayed", "delivery incomplete", "temporary problem",
        "still trying", "will retry", "could not deliver", "message not delivered", "does not exist",
        "user unknown", "mailbox full", "over quota",
    ]
    /// Where a plain-text bounce starts quoting the returned message: the diagnosis is before it.
    private static let returnedMarkers = [
        "------ this is a copy of the message", "--- below this line is a copy of the message",
        "----- original message -----", "original message headers", "------ the header of the original",
        "----- unsent message below -----", "----- original message follows -----", "------- returned message",
    ]

    /// The finding, or `nil` when `message` does not look like a plain-text bounce.
    static func read(_ message: InboundMessage) -> DeliveryReportReader.Finding? {
        let subject = message.subject.lowercased()
        let failed = message.headers.value("x-failed-recipients").flatMap { HeaderValues.addresses($0).first }
        let fromDaemon = message.fromLocalPart(in: daemonNames)
        let bounceSubject = subjects.first { subject.contains($0) }
        guard failed != nil || fromDaemon || bounceSubject != nil else { return nil }
        let text = message.reportText
        let lower = text.lowercased()
        let diagnosis = String(text[..<cut(lower, in: text)])
        let failureWord = failureWords.first { lower.contains($0) }
        guard failed != nil || failureWord != nil || (bounceSubject != nil && fromDaemon) else { return nil }

        let status = BounceSeverity.enhancedStatus(in: diagnosis)
        let code = BounceSeverity.smtpCode(in: diagnosis)
        let action = subject.contains("delay") || lower.contains("has been delayed") ? "delayed" : nil
        let (severity, reason) = BounceSeverity.judge(
            action: action, status: status, smtpCode: code?.code, text: diagnosis)
        let diagnostic = diagnosticLine(diagnosis, status: status, code: code)
        let recipient = failed ?? finalRecipient(diagnosis) ?? recipient(in: diagnosis, message: message)
        let originalID = message.returnedMessageID ?? DeliveryReportReader.quotedMessageID(in: text)
        let format = vendor(message) ?? "plain-text"
        let bounce = InboundClassification.Bounce(
            severity: severity, status: status, diagnostic: diagnostic, recipient: recipient,
            originalMessageID: originalID, format: format)
        let why = failed != nil ? "X-Failed-Recipients" : fromDaemon ? "from \(message.from ?? "")" : "subject"
        return .bounce(bounce, evidence: "\(format) delivery report (\(why)), \(severity) by \(reason)")
    }

    /// Which MTA or provider wrote the report, from its well-known wording or sender.
    static func vendor(_ message: InboundMessage) -> String? {
        let text = message.reportText.lowercased()
        let from = message.from ?? ""
        let checks: [(String, Bool)] = [
            ("amazon-ses", from.hasSuffix("amazonses.com")),
            ("gmail", from.hasSuffix("googlemail.com") || from.hasSuffix("google.com")),
            ("yahoo", from.contains("yahoo")),
            ("qmail", text.contains("qmail-send program")),
            ("postfix", text.contains("this is the mail system at host")),
            ("exim", text.contains("message was created automatically by mail delivery software")),
            ("sendmail", text.contains("transcript of session follows") || message.subject.hasPrefix("Returned mail")),
            (
                "exchange",
                message.headers.fields.contains { $0.name.hasPrefix("x-ms-exchange") }
                    || text.contains("delivery has failed to these recipients")
                    || text.contains("couldn't be delivered to")
            ),
        ]
        return checks.first { $0.1 }?.0
    }

    private static func cut(_ lower: String, in text: String) -> String.Index {
        let positions = returnedMarkers.compactMap { lower.range(of: $0)?.lowerBound }
        guard let first = positions.min() else { return text.endIndex }
        // `lower` and `text` differ only in case: the same offset is the same place for ASCII markers.
        let offset = lower.distance(from: lower.startIndex, to: first)
        return text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) ?? text.endIndex
    }

    /// The line holding the status or SMTP code (with the one before when it ends in "said:"), shortened.
    private static func diagnosticLine(
        _ text: String, status: String?, code: (code: String, lineStart: String.Index)?
    ) -> String? {
        var start: String.Index?
        if let code { start = code.lineStart }
        if start == nil, let status, let found = text.range(of: status) {
            start = text[..<found.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        }
        guard let start else { return nil }
        let line = text[start...].prefix { $0 != "\n" }
        var more = text[line.endIndex...].dropFirst().prefix { $0 != "\n" }
        if !(more.first?.isWhitespace ?? false) { more = "" }
        return DeliveryReportReader.shorten(String(line) + " " + String(more))
    }

    /// A `Final-Recipient:` line pasted into the text.
    private static func finalRecipient(_ text: String) -> String? {
        guard let found = text.range(of: "final-recipient:", options: .caseInsensitive) else { return nil }
        let line = text[found.upperBound...].prefix { $0 != "\n" }
        return HeaderValues.addresses(inText: String(line), limit: 1).first
    }

    /// The first address in the diagnosis that is not the report's own sender or recipient nor a daemon's, else
    /// the returned message's `To`.
    private static func recipient(in text: String, message: InboundMessage) -> String? {
        var own = Set(
            ["from", "to", "delivered-to", "x-original-to", "return-path"].flatMap {
                message.headers.values($0).flatMap { HeaderValues.addresses($0) }
            })
        if let returnedFrom = message.returnedHeaders?.value("from") {
            own.formUnion(HeaderValues.addresses(returnedFrom))
        }
        let candidates = HeaderValues.addresses(inText: text, limit: 50).filter { address in
            !own.contains(address) && !daemonNames.contains(HeaderValues.localPart(address))
        }
        return candidates.first
            ?? message.returnedHeaders?.value("to").flatMap { HeaderValues.addresses($0).first }
    }
}
