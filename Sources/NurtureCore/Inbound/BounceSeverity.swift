import Foundation

/// Decides whether a failed delivery is for good (hard) or for now (soft), from the report's `Action`, its
/// enhanced status code, the SMTP reply code and the words of the diagnostic. Mailbox-full and delays are soft
/// whatever the code class; then 4.x.x is soft and 5.x.x hard; then the words decide.
enum BounceSeverity {
    private static let fullPhrases = [
        "mailbox full", "mailbox is full", "over quota", "overquota", "quota exceeded", "exceeded storage",
        "insufficient storage", "storage quota", "out of storage", "postfach voll", "boîte pleine", "buzón lleno",
    ]
    private static let softPhrases = [
        "temporarily", "temporary failure", "temporary error", "try again later", "has been delayed",
        "delivery delayed", "will retry", "will continue trying", "not yet been delivered", "greylist",
        "deferred", "delay",
    ]
    private static let hardPhrases = [
        "user unknown", "unknown user", "does not exist", "doesn't exist", "no such user", "no such recipient",
        "recipient not found", "recipientnotfound", "address rejected", "mailbox unavailable", "invalid recipient",
        "unrouteable", "account has been disabled", "account is disabled", "permanent", "couldn't be found",
        "not found", "no mailbox", "unknown address", "address not found", "couldn't be delivered",
    ]

    /// The severity and the reason, in words for the evidence line.
    static func judge(
        action: String?, status: String?, smtpCode: String?, text: String
    ) -> (severity: InboundClassification.Bounce.Severity, reason: String) {
        let lower = text.lowercased()
        if action == "delayed" { return (.soft, "Action: delayed") }
        if let status, status.hasPrefix("4") { return (.soft, "Status \(status)") }
        if status == "5.2.2" { return (.soft, "Status 5.2.2 (mailbox full)") }
        if let phrase = fullPhrases.first(where: { lower.contains($0) }) { return (.soft, "\"\(phrase)\"") }
        if let status, status.hasPrefix("5") { return (.hard, "Status \(status)") }
        if let smtpCode, smtpCode.hasPrefix("4") { return (.soft, "SMTP \(smtpCode)") }
        if let smtpCode, smtpCode.hasPrefix("5") { return (.hard, "SMTP \(smtpCode)") }
        if let phrase = hardPhrases.first(where: { lower.contains($0) }) { return (.hard, "\"\(phrase)\"") }
        if let phrase = softPhrases.first(where: { lower.contains($0) }) { return (.soft, "\"\(phrase)\"") }
        if action == "failed" { return (.hard, "Action: failed") }
        return (.soft, "no status or reason given; taken as soft")
    }

    /// The first enhanced status code (`5.1.1`) of class 4 or 5 in `text`.
    static func enhancedStatus(in text: String) -> String? {
        let bytes = Array(text.utf8.prefix(64 * 1024))
        var index = 0
        while index + 4 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "4") || bytes[index] == UInt8(ascii: "5"),
                bytes[index + 1] == UInt8(ascii: "."), index == 0 || !isDigitOrDot(bytes[index - 1])
            else { continue }
            var end = index + 2
            let second = end
            while end < bytes.count, end < second + 3, isDigit(bytes[end]) { end += 1 }
            guard end > second, end < bytes.count, bytes[end] == UInt8(ascii: ".") else { continue }
            let third = end + 1
            end = third
            while end < bytes.count, end < third + 3, isDigit(bytes[end]) { end += 1 }
            guard end > third, end == bytes.count || !isDigitOrDot(bytes[end]) || bytes[end] == UInt8(ascii: ".")
            else { continue }
            if end < bytes.count, bytes[end] == UInt8(ascii: "."), end + 1 < bytes.count, isDigit(bytes[end + 1]) {
                continue
            }
            return String(decoding: bytes[index..<end], as: UTF8.self)
        }
        return nil
    }

    /// The first SMTP reply code of class 4 or 5 (`550`, `452`) standing as a word, followed by a space, `-` or `:`.
    static func smtpCode(in text: String) -> (code: String, lineStart: String.Index)? {
        var lineStart = text.startIndex
        var index = text.startIndex
        var scanned = 0
        while index < text.endIndex, scanned < 64 * 1024 {
            let character = text[index]
            if character == "\n" { lineStart = text.index(after: index) }
            if character == "4" || character == "5" {
                let previous = index > text.startIndex ? text[text.index(before: index)] : " "
                let code = text[index...].prefix(4)
                if !previous.isLetter, !previous.isNumber, previous != ".", code.count == 4,
                    code.dropFirst().prefix(2).allSatisfy({ $0.isASCII && $0.isNumber }),
                    code.last == " " || code.last == "-" || code.last == ":"
                {
                    return (String(code.prefix(3)), lineStart)
                }
            }
            index = text.index(after: index)
            scanned += 1
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isDigitOrDot(_ byte: UInt8) -> Bool { isDigit(byte) || byte == UInt8(ascii: ".") }
}
