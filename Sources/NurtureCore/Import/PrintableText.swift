/// Makes untrusted text safe to echo on a terminal or into a log line: every control character, line or
/// paragraph separator and bidirectional override is written as a visible escape (`\r`, `\n`, `\t`,
/// `\u{1B}`, `\u{202E}`), so a value read from a CSV file cannot break an error line in two, forge a second
/// line, move the cursor or reorder what the operator reads. Everything else is kept as it is. Pure.
package enum PrintableText {
    /// `text` with every invisible or line-breaking scalar escaped, Swift string-literal style.
    package static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    /// C0 and C1 controls and DEL, U+2028/U+2029, and the bidirectional embeddings, overrides and isolates.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: true
        default: false
        }
    }
}
