/// A server's SMTP reply: the three-digit code, the RFC 3463 enhanced status code when given, and the text.
package struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The reply code, e.g. 250, 451, 550.
    package let code: Int
    /// The enhanced status code such as `5.1.1`, when the server sent one.
    package let enhancedCode: String?
    /// The text after the code(s); lines of a multi-line reply joined with " / ".
    package let text: String

    /// Makes a reply from its parts.
    package init(code: Int, enhancedCode: String? = nil, text: String) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.text = text
    }

    /// The reply as the server wrote it on one line, e.g. `250 2.0.0 Ok: queued as 4F2A1`.
    package var description: String {
        [String(code), enhancedCode, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: " ")
    }

    /// `true` for a 5.7.x reply: a policy or authentication refusal aimed at the sender, not the recipient.
    package var isSenderPolicyRejection: Bool { code >= 500 && enhancedCode?.hasPrefix("5.7.") == true }

    /// Finds the last complete reply in `lines` (the server's lines, oldest first), or `nil` if none parses.
    /// With `code`, finds the last reply with that code: libcurl may send QUIT after a refusal, so the
    /// refusal is not always the last line (`550 5.7.1 ...` then `221 Bye`).
    package static func lastReply(in lines: [String], code wanted: Int? = nil) -> SMTPReply? {
        guard
            let finalIndex = lines.lastIndex(where: {
                isReplyLine($0, final: true) && (wanted == nil || Int($0.prefix(3)) == wanted)
            })
        else { return nil }
        let code = Int(lines[finalIndex].prefix(3))!
        var start = finalIndex
        while start > 0, isReplyLine(lines[start - 1], final: false), Int(lines[start - 1].prefix(3)) == code {
            start -= 1
        }
        var enhanced: String?
        let texts = lines[start...finalIndex].map { line -> String in
            var rest = Substring(line.dropFirst(4))
            let words = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            if let first = words.first, isEnhancedCode(first, classDigit: line.first!) {
                enhanced = enhanced ?? String(first)
                rest = words.count > 1 ? words[1] : ""
            }
            return String(rest)
        }
        return SMTPReply(code: code, enhancedCode: enhanced, text: texts.joined(separator: " / "))
    }

    private static func isReplyLine(_ line: String, final: Bool) -> Bool {
        let bytes = Array(line.utf8.prefix(4))
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        if bytes.count == 3 { return final }
        return final ? bytes[3] == UInt8(ascii: " ") : bytes[3] == UInt8(ascii: "-")
    }

    private static func isEnhancedCode(_ word: Substring, classDigit: Character) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == Substring(String(classDigit))
            && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && Int($0) != nil }
    }
}
