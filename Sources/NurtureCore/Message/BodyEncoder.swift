/// Picks and applies a body's Content-Transfer-Encoding.
enum BodyEncoder {
    /// The three transfer encodings the composer uses.
    enum TransferEncoding: String, Sendable {
        case sevenBit = "7bit"
        case quotedPrintable = "quoted-printable"
        case base64 = "base64"
    }

    /// The longest line a body may have to go out as 7bit (the same as quoted-printable's limit).
    static let sevenBitLineLength = 76

    /// The text's UTF-8 with every CRLF, lone CR and lone LF turned into CRLF, ending in CRLF unless empty.
    static func canonical(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            if byte == 0x0D || byte == 0x0A { out += MessageSyntax.crlf } else { out.append(byte) }
        }
        if !out.isEmpty && !out.ends(with: MessageSyntax.crlf) { out += MessageSyntax.crlf }
        return out
    }

    /// Encodes `text`: 7bit when it is plain short-lined ASCII that needs no protection, otherwise the
    /// smaller of quoted-printable and base64 (quoted-printable on a tie, as it stays readable).
    static func encode(_ text: String) -> (encoding: TransferEncoding, bytes: [UInt8]) {
        let bytes = canonical(text)
        if isSevenBitSafe(bytes) { return (.sevenBit, bytes) }
        let quoted = QuotedPrintable.encode(bytes)
        let base64Size = (bytes.count + 2) / 3 * 4 + (bytes.count + 56) / 57 * 2
        if quoted.count <= base64Size { return (.quotedPrintable, quoted) }
        return (.base64, Base64.encodeBody(bytes))
    }

    /// Printable ASCII and TAB only, lines of at most 76 octets with no trailing white space, no line
    /// starting with `.` or `From `, and no `=_` anywhere (so it cannot contain a MIME boundary).
    static func isSevenBitSafe(_ bytes: [UInt8]) -> Bool {
        if MessageSyntax.contains(bytes, Array("=_".utf8)) { return false }
        for line in QuotedPrintable.split(bytes) {
            guard line.count <= sevenBitLineLength else { return false }
            guard line.allSatisfy({ MessageSyntax.isPrintableASCII($0) || $0 == 0x09 }) else { return false }
            if let last = line.last, MessageSyntax.isWSP(last) { return false }
            if line.first == UInt8(ascii: ".") || line.starts(with: "From ".utf8) { return false }
        }
        return true
    }
}

extension Array where Element == UInt8 {
    /// True when the array ends with `suffix`.
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
