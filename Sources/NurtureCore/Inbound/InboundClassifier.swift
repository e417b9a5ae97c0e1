package import Foundation

/// Reads one incoming message from its raw bytes (RFC 5322 / MIME, any charset, possibly malformed) and says what
/// it is: delivery report, complaint, automatic reply, opt-out, reply or unrelated. Pure and total: no input
/// crashes it; unreadable mail is `unrelated` with the reason in ``InboundReading/evidence``.
///
/// The order matters: delivery reports first (they are `Auto-Submitted: auto-generated` too), then complaints,
/// then automatic replies (an out-of-office is never a human reply), then bulk mail and notifications, and only
/// then a person's reply, read for a request to stop in its own text, not the part it quotes.
package enum InboundClassifier {
    /// Sender local parts that no person answers from.
    private static let robotNames: Set<String> = [
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "notifications",
        "notification", "notify", "mailer-daemon", "postmaster", "newsletter", "news", "bounce", "bounces",
    ]

    /// Classifies `raw`. `now` is when it was received (a return date without a year is read relative to it,
    /// or to the message's `Date`).
    package static func read(_ raw: [UInt8], now: Date) -> InboundReading {
        let message = InboundMessage(raw)
        let headers = facts(message)
        let (classification, why) = classify(message, headers: headers, now: now)
        var evidence = why
        if !message.problems.isEmpty {
            evidence += " (" + message.problems.prefix(3).joined(separator: "; ") + ")"
        }
        return InboundReading(
            classification: classification, evidence: HeaderValues.oneLine(evidence, limit: 500), headers: headers)
    }

    private static func classify(
        _ message: InboundMessage, headers: InboundHeaders, now: Date
    ) -> (InboundClassification, String) {
        if message.root.headers.fields.isEmpty {
            return (.unrelated, "no header fields: not a mail message; read as unrelated")
        }
        switch DeliveryReportReader.read(message) {
        case .bounce(let bounce, let evidence): return (.bounce(bounce), evidence)
        case .notFailure(let evidence): return (.unrelated, evidence)
        case nil: break
        }
        if let found = ComplaintReader.read(message) { return (.complaint(found.0), found.evidence) }
        let report = message.entity("multipart/report")
        if let report {
            let type = report.contentType.parameters["report-type"] ?? "unknown"
            return (.unrelated, "multipart/report of type \(type.prefix(40)) (not a delivery or feedback report)")
        }
        switch AutoReplyReader.judge(message) {
        case .autoReply(let evidence):
            let reference =
                headers.date.flatMap { date in
                    abs(date.timeIntervalSince(now)) < 366 * 86_400 ? date : nil
                } ?? now
            let text = message.subject + "\n" + ReplyText.newText(message.bodyText)
            let returnDate = ReturnDateReader.returnDate(in: text, reference: MailDateReader.utcDay(reference))
            let dated = returnDate.map { ", back \($0)" } ?? ", no return date found"
            return (.autoReply(.init(returnDate: returnDate)), evidence + dated)
        case .notification(let evidence): return (.unrelated, evidence)
        case .none: break
        }
        let threaded = !headers.inReplyTo.isEmpty || !headers.references.isEmpty
        let list = ["list-id", "list-unsubscribe"].first(where: message.headers.has)
        if let list, !threaded {
            return (
                .unrelated, "mailing-list or newsletter mail (\(list == "list-id" ? "List-Id" : "List-Unsubscribe"))"
            )
        }
        if message.fromLocalPart(in: robotNames) {
            return (.unrelated, "from \(message.from ?? "") (an address no person answers from)")
        }
        guard message.from != nil else { return (.unrelated, "no From address; read as unrelated") }
        let newText = ReplyText.newText(message.bodyText)
        let subject = AutoReplyReader.stripReplyPrefixes(message.subject)
        let isFreshSubject = subject.count == message.subject.trimmingASCIIWhitespace().count
        if let phrase = OptOutReader.request(in: newText) ?? (isFreshSubject ? OptOutReader.request(in: subject) : nil)
        {
            return (.optOut, "a person asks to stop: \"\(phrase)\" in their own text")
        }
        if threaded {
            // A reply that came through a list (a group address) is still a person answering: never lose it.
            let via = list == nil ? "" : ", through a list"
            return (.reply, "a person's reply (In-Reply-To/References\(via)), no request to stop")
        }
        return (.reply, isFreshSubject ? "a person writing, no request to stop" : "a person's reply (Re: subject)")
    }

    /// The header facts attribution needs.
    private static func facts(_ message: InboundMessage) -> InboundHeaders {
        let fields = message.headers
        let recipientFields = ["to", "cc", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to"]
        var recipients: [String] = []
        for name in recipientFields {
            for value in fields.values(name) {
                for address in HeaderValues.addresses(value) where !recipients.contains(address) {
                    recipients.append(address)
                }
            }
        }
        return InboundHeaders(
            messageID: fields.value("message-id").flatMap { HeaderValues.messageIDs($0).first },
            from: message.from.flatMap { try? EmailAddress($0) },
            subject: fields.decoded("subject").map { HeaderValues.oneLine($0, limit: 1000) },
            inReplyTo: fields.values("in-reply-to").flatMap(HeaderValues.messageIDs),
            references: fields.values("references").flatMap(HeaderValues.messageIDs),
            recipients: Array(recipients.prefix(100)),
            date: fields.value("date").flatMap(MailDateReader.date))
    }
}
