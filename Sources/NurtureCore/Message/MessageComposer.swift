/// Turns an ``OutgoingMessage`` into the exact bytes handed to SMTP `DATA`. Pure: no clock, no I/O.
///
/// Header order: `Date`, `Message-ID`, `From`, `Reply-To`, `To`, `Subject`, `MIME-Version`,
/// `Content-Type`, `Content-Transfer-Encoding`, then the extra headers in the order given.
package enum MessageComposer {
    /// RFC 5322 bytes, CRLF line endings, no line over 998 octets
    /// (target ≤ 78 for headers, ≤ 76 for encoded bodies).
    ///
    /// No line of the result starts with `.` or `From ` and no lead-supplied text can start a header line
    /// or end the body early. Text only gives `text/plain; charset=utf-8`; with HTML the result is
    /// `multipart/alternative` with the text part first.
    /// - Parameter utcOffsetSeconds: the zone the `Date` header is written in, east of UTC, whole minutes.
    /// - Throws: ``ComposeError`` for a bad subject or display name, offset or date.
    package static func compose(_ message: OutgoingMessage, utcOffsetSeconds: Int = 0) throws(ComposeError) -> [UInt8] {
        var out: [UInt8] = []
        out += line("Date: " + (try RFC5322Date.format(message.date, utcOffsetSeconds: utcOffsetSeconds)))
        out += line("Message-ID: " + message.messageID.description)
        out += try mailboxField("From", message.from)
        if let replyTo = message.replyTo { out += try mailboxField("Reply-To", replyTo) }
        out += try mailboxField("To", message.to)
        let subject = try HeaderEncoder.singleLine(message.subject, field: "subject")
        out += try folded("Subject", HeaderEncoder.unstructured(subject, nameLength: "Subject: ".utf8.count))
        out += line("MIME-Version: 1.0")

        let text = BodyEncoder.encode(message.textBody)
        guard let htmlBody = message.htmlBody, !htmlBody.isEmpty else {
            out += partHeaders(type: "text/plain", encoding: text.encoding)
            for field in message.extraHeaders { out += try field.rendered() }
            return out + MessageSyntax.crlf + text.bytes
        }
        let html = BodyEncoder.encode(htmlBody)
        let boundary = MIMEBoundary.make(for: message.messageID)
        out += line("Content-Type: multipart/alternative;") + line(" boundary=\"\(boundary)\"")
        for field in message.extraHeaders { out += try field.rendered() }
        out += MessageSyntax.crlf
        out += line("--" + boundary) + partHeaders(type: "text/plain", encoding: text.encoding) + MessageSyntax.crlf
        out += text.bytes
        out += MessageSyntax.crlf + line("--" + boundary)
        out += partHeaders(type: "text/html", encoding: html.encoding) + MessageSyntax.crlf
        out += html.bytes
        out += MessageSyntax.crlf + line("--" + boundary + "--")
        return out
    }

    private static func partHeaders(type: String, encoding: BodyEncoder.TransferEncoding) -> [UInt8] {
        line("Content-Type: \(type); charset=utf-8") + line("Content-Transfer-Encoding: \(encoding.rawValue)")
    }

    private static func mailboxField(_ name: String, _ mailbox: Mailbox) throws(ComposeError) -> [UInt8] {
        try folded(name, HeaderEncoder.mailbox(mailbox, header: name, field: "\(name) display name"))
    }

    private static func folded(_ name: String, _ segments: [String]) throws(ComposeError) -> [UInt8] {
        // Encoded-words and validated addresses always fit; this only guards the invariant.
        guard let bytes = HeaderFolder.fold(name: name, segments: segments) else {
            throw .headerLineTooLong(header: name, octets: segments.map(\.utf8.count).max() ?? 0)
        }
        return bytes
    }

    private static func line(_ text: String) -> [UInt8] { Array(text.utf8) + MessageSyntax.crlf }
}
