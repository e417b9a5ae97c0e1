/// Quoted-printable body encoding (RFC 2045 section 6.7) with mbox and SMTP hardening.
///
/// Encoded lines are at most 76 characters. A `.` or `From ` at the start of any encoded line (after a
/// hard or a soft break) is written as `=2E` / `=46rom `, so no line of the result starts with a dot or
/// with `From `. `=` is always escaped, so the output never contains `=_` (used in MIME boundaries).
enum QuotedPrintable {
    /// The longest encoded line, excluding CRLF.
    static let lineLength = 76

    /// Encodes canonical text (CRLF line breaks). Line breaks stay hard breaks; white space before one is escaped.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var lines = split(bytes)
        let endsWithBreak = lines.last?.isEmpty == true
        if endsWithBreak { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            encodeLine(line, into: &out)
            if index < lines.count - 1 || endsWithBreak { out += MessageSyntax.crlf }
        }
        return out
    }

    /// Appends the encoded bytes straight to `out` (no array per input byte: this runs for every body byte
    /// of every message).
    private static func encodeLine(_ line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var column = 0
        var index = line.startIndex
        while index < line.endIndex {
            let isLast = index == line.endIndex - 1
            var escape = mustEscape(line, index, column: column, isLast: isLast)
            let limit = isLast ? lineLength : lineLength - 1
            if column + (escape ? 3 : 1) > limit {
                out.append(UInt8(ascii: "="))
                out.append(0x0D)
                out.append(0x0A)
                column = 0
                escape = mustEscape(line, index, column: 0, isLast: isLast)
            }
            let byte = line[index]
            if escape {
                out.append(UInt8(ascii: "="))
                out.append(MessageSyntax.hexDigits[Int(byte >> 4)])
                out.append(MessageSyntax.hexDigits[Int(byte & 0x0F)])
                column += 3
            } else {
                out.append(byte)
                column += 1
            }
            index += 1
        }
    }

    /// Whether the byte at `index` is written as `=XX`: a leading `.` or `From `, white space at the end of a
    /// line, `=`, and anything outside printable ASCII.
    private static func mustEscape(_ line: ArraySlice<UInt8>, _ index: Int, column: Int, isLast: Bool) -> Bool {
        let byte = line[index]
        if column == 0 && (byte == UInt8(ascii: ".") || line[index...].starts(with: "From ".utf8)) { return true }
        if MessageSyntax.isWSP(byte) { return isLast }
        return !(byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
    }

    /// Splits at CRLF; a trailing CRLF gives a trailing empty line.
    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D && bytes[index + 1] == 0x0A {
                lines.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(bytes[start...])
        return lines
    }
}
