/// Character classes and small checks from RFC 5322 and RFC 2045 shared by the message types.
enum MessageSyntax {
    /// CR LF as bytes.
    static let crlf: [UInt8] = [0x0D, 0x0A]
    /// The line length the composer aims for in headers (RFC 5322 section 2.1.1 "SHOULD").
    static let targetLineLength = 78
    /// The hard limit on a line, excluding CRLF (RFC 5322 section 2.1.1 "MUST").
    static let maximumLineLength = 998

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
        }
    }

    /// RFC 5322 `dot-atom-text`: atext runs separated by single dots, no dot at either end.
    static func isDotAtomText(_ text: some StringProtocol) -> Bool {
        let atoms = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return !text.isEmpty && atoms.allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtext) }
    }

    /// RFC 5322 `ftext`: printable ASCII except colon.
    static func isFtext(_ byte: UInt8) -> Bool { byte >= 33 && byte <= 126 && byte != UInt8(ascii: ":") }

    /// Space or horizontal tab.
    static func isWSP(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// Printable ASCII, space included.
    static func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte <= 0x7E }

    /// True when `bytes` contains `needle` anywhere.
    static func contains(_ bytes: some Collection<UInt8>, _ needle: [UInt8]) -> Bool {
        let haystack = Array(bytes)
        guard haystack.count >= needle.count, !needle.isEmpty else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// Uppercase hexadecimal digits.
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
