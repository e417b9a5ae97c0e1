import Foundation

/// The parts of an incoming message the readers look at, gathered once from the MIME tree.
struct InboundMessage {
    /// The message as read.
    let root: MIMEEntity
    /// Its top-level header fields.
    var headers: MIMEHeaders { root.headers }
    /// The decoded `Subject` ("" when missing).
    let subject: String
    /// The `From` address, lowercased, when there is one.
    let from: String?
    /// The message's own text (its first text/plain part, else its HTML as text), not counting returned messages.
    let bodyText: String
    /// Every text part of the message's own, joined (what a plain-text bounce says), capped.
    let reportText: String
    /// The header fields of the first message returned inside it (`message/rfc822`, `text/rfc822-headers`).
    let returnedHeaders: MIMEHeaders?
    /// What was malformed, cut or decoded lossily.
    let problems: [String]

    /// Characters of report text kept.
    static let maximumReportText = 64 * 1024

    /// Reads `raw`.
    init(_ raw: [UInt8]) {
        var parser = MIMEParser()
        let root = parser.parse(raw)
        var problems = parser.problems
        self.root = root
        subject = root.headers.decoded("subject") ?? ""
        from = root.headers.value("from").flatMap { HeaderValues.addresses($0).first }
        let own = root.walk(intoEmbedded: false).filter { $0.parts.isEmpty && !$0.isEmbeddedMessage }
        let texts = own.filter { entity in
            entity.contentType.type == "text"
                && !(entity.headers.value("content-disposition")?.lowercased().hasPrefix("attachment") ?? false)
        }
        func decode(_ entity: MIMEEntity) -> String {
            let decoded = entity.text
            if let note = decoded.note, problems.count < 20, !problems.contains(note) { problems.append(note) }
            // One line break for the text readers: CR LF (one Character in Swift) becomes LF.
            return decoded.text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        if let plain = texts.first(where: { $0.contentType.subtype == "plain" }) {
            bodyText = decode(plain)
        } else if let html = texts.first(where: { $0.contentType.subtype == "html" }) {
            bodyText = ReplyText.plainText(fromHTML: decode(html))
        } else if root.contentType.type == "multipart", root.parts.isEmpty {
            bodyText = decode(MIMEEntity(headers: root.headers, contentType: .textPlain, body: root.body))
        } else {
            bodyText = ""
        }
        var report = ""
        for entity in texts where report.utf8.count < Self.maximumReportText {
            let text = decode(entity)
            report += entity.contentType.subtype == "html" ? ReplyText.plainText(fromHTML: text) : text
            report += "\n"
        }
        if report.isEmpty { report = bodyText }
        reportText = String(report.prefix(Self.maximumReportText))
        returnedHeaders =
            root.walk().first { $0.isEmbeddedMessage && !($0.parts.first?.headers.fields.isEmpty ?? true) }?
            .parts.first?.headers
        self.problems = problems
    }

    /// The `Message-ID` of the returned message, without brackets.
    var returnedMessageID: String? {
        returnedHeaders?.value("message-id").flatMap { HeaderValues.messageIDs($0).first }
    }

    /// The first entity of the given type, not looking inside returned messages.
    func entity(_ mimeType: String) -> MIMEEntity? {
        root.walk(intoEmbedded: false).first { $0.contentType.mimeType == mimeType }
    }

    /// Whether the sender's local part is one of `names` (or starts with one followed by `-`, `+` or `.`).
    func fromLocalPart(in names: Set<String>) -> Bool {
        guard let from else { return false }
        let local = HeaderValues.localPart(from)
        return names.contains(local) || names.contains { local.hasPrefix($0 + "-") || local.hasPrefix($0 + "+") }
    }
}
