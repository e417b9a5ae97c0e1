import Foundation

/// Reads a delivery report: RFC 3464 (`multipart/report; report-type=delivery-status`, its
/// `message/delivery-status` part read field by field), else the plain-text formats of the common MTAs and
/// providers (``PlainBounceReader``).
enum DeliveryReportReader {
    /// What the report says: a failure, or a report of success or relay (not a bounce).
    enum Finding {
        case bounce(InboundClassification.Bounce, evidence: String)
        case notFailure(evidence: String)
    }

    /// The finding, or `nil` when `message` is no delivery report.
    static func read(_ message: InboundMessage) -> Finding? {
        if let status = message.entity("message/delivery-status") ?? message.entity("message/global-delivery-status") {
            return readStandard(message, statusPart: status)
        }
        return PlainBounceReader.read(message)
    }

    private static func readStandard(_ message: InboundMessage, statusPart: MIMEEntity) -> Finding {
        let groups = MIMEHeaders.groups(statusPart.decodedBody[...])
        let recipients = groups.filter { $0.has("final-recipient") || $0.has("action") || $0.has("status") }
        func action(_ group: MIMEHeaders) -> String {
            group.value("action")?.lowercased().split(separator: " ").first.map(String.init) ?? ""
        }
        let chosen =
            recipients.first { action($0) == "failed" } ?? recipients.first { action($0) == "delayed" }
            ?? recipients.first { !["delivered", "relayed", "expanded"].contains(action($0)) }
        guard let group = chosen else {
            let said = recipients.first.map { "Action: \(action($0))" } ?? "no recipient fields"
            return .notFailure(evidence: "multipart/report delivery-status, \(said): not a failure")
        }
        let status = group.value("status").flatMap { BounceSeverity.enhancedStatus(in: $0) }
        let diagnostic = group.value("diagnostic-code").map(stripType)
        let recipient =
            (group.value("final-recipient") ?? group.value("original-recipient")).map(stripType)
            .flatMap { HeaderValues.addresses($0).first }
            ?? message.headers.value("x-failed-recipients").flatMap { HeaderValues.addresses($0).first }
        let words = (diagnostic ?? "") + "\n" + (action(group) == "delayed" ? "" : message.reportText)
        let (severity, reason) = BounceSeverity.judge(
            action: action(group), status: status, smtpCode: nil, text: words)
        let originalID = message.returnedMessageID ?? quotedMessageID(in: message.reportText)
        let bounce = InboundClassification.Bounce(
            severity: severity, status: status, diagnostic: diagnostic.map(shorten), recipient: recipient,
            originalMessageID: originalID, format: "rfc3464")
        let vendor = PlainBounceReader.vendor(message).map { " from \($0)" } ?? ""
        return .bounce(
            bounce,
            evidence: "multipart/report delivery-status\(vendor), Action: \(action(group)), \(severity) by \(reason)")
    }

    /// `rfc822; ada@example.com` → `ada@example.com`; `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`.
    static func stripType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";"), value[..<semicolon].count <= 12,
            !value[..<semicolon].contains(" ")
        else { return value.trimmingASCIIWhitespace() }
        return String(value[value.index(after: semicolon)...]).trimmingASCIIWhitespace()
    }

    /// One line: control characters gone, white space collapsed, at most 300 characters.
    static func shorten(_ text: String) -> String {
        let words = HeaderValues.oneLine(String(text.prefix(2000)), limit: 2000).split(whereSeparator: {
            $0.isWhitespace
        })
        return String(words.joined(separator: " ").prefix(300))
    }

    /// The first `Message-ID:` line in quoted or pasted headers (`Message-ID: <...>`, possibly `> `-quoted or
    /// indented), without brackets.
    static func quotedMessageID(in text: String) -> String? {
        var searchRange = text.startIndex..<text.endIndex
        var looked = 0
        while looked < 50, let found = text.range(of: "message-id:", options: .caseInsensitive, range: searchRange) {
            looked += 1
            // Only the few characters before it are looked at: a line start, then blanks or ">" quoting.
            let before = text[..<found.lowerBound].suffix(12)
            let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) }
            let atLineStart = lineStart != nil || before.startIndex == text.startIndex
            let prefix = before[(lineStart ?? before.startIndex)...]
            if atLineStart, prefix.allSatisfy({ $0 == " " || $0 == "\t" || $0 == ">" }) {
                let rest = text[found.upperBound...].prefix(300)
                let line = rest.prefix { $0 != "\n" }
                if let id = HeaderValues.messageIDs(String(line.contains("<") ? line : rest)).first { return id }
            }
            searchRange = found.upperBound..<text.endIndex
        }
        return nil
    }
}
