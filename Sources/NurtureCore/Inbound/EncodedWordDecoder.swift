import Foundation

/// Decodes RFC 2047 encoded words (`=?charset?B?...?=`, `=?charset?Q?...?=`) in a header value. White space
/// between two adjacent encoded words is dropped (RFC 2047 section 6.2); a malformed word is kept as written.
enum EncodedWordDecoder {
    /// Characters of a header value decoded at most; the rest is dropped.
    static let maximumCharacters = 16 * 1024

    /// `value` with its encoded words decoded.
    static func decode(_ fullValue: String) -> String {
        let value = String(fullValue.prefix(maximumCharacters))
        guard value.contains("=?") else { return value }
        var result = ""
        var rest = Substring(value)
        var pendingSpace: Substring = ""
        var lastWasEncoded = false
        while !rest.isEmpty {
            guard let start = rest.range(of: "=?") else {
                result += pendingSpace + rest
                return result
            }
            let before = rest[..<start.lowerBound]
            if let found = word(rest[start.lowerBound...]) {
                let (text, after) = found
                let onlySpace = before.allSatisfy { $0 == " " || $0 == "\t" }
                result += lastWasEncoded && onlySpace ? "" : pendingSpace + before
                pendingSpace = ""
                result += text
                lastWasEncoded = true
                rest = after
                // Hold back the blanks that follow, in case another encoded word comes next.
                let blanks = rest.prefix { $0 == " " || $0 == "\t" }
                pendingSpace = blanks
                rest = rest.dropFirst(blanks.count)
            } else {
                result += pendingSpace + before + "=?"
                pendingSpace = ""
                lastWasEncoded = false
                rest = rest[start.upperBound...]
            }
        }
        return result + pendingSpace
    }

    /// One encoded word at the start of `text`, decoded, and what follows it.
    private static func word(_ text: Substring) -> (String, Substring)? {
        let parts = text.dropFirst(2).split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let end = parts[2].prefix(4200).range(of: "?=") else { return nil }
        let charset = parts[0].split(separator: "*").first.map(String.init) ?? ""
        let payload = parts[2][..<end.lowerBound]
        guard !charset.isEmpty, payload.count <= 4096, !payload.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch parts[1].lowercased() {
        case "b": bytes = TransferDecoder.base64(Array(payload.utf8))
        case "q": bytes = qDecode(Array(payload.utf8))
        default: return nil
        }
        return (CharsetDecoder.decode(bytes, charset: charset).text, text[end.upperBound...])
    }

    /// The `Q` encoding: quoted-printable where `_` is a space.
    private static func qDecode(_ bytes: [UInt8]) -> [UInt8] {
        TransferDecoder.quotedPrintable(bytes.map { $0 == UInt8(ascii: "_") ? 0x20 : $0 })
    }
}
