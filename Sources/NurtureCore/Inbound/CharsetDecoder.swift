/// Turns the bytes of a text part or an encoded word into a string, by the charset the mail names. UTF-8,
/// US-ASCII, ISO-8859-1, ISO-8859-15 and Windows-1252 are decoded exactly; any other charset is decoded lossily
/// (as UTF-8 when the bytes are valid UTF-8, else as Windows-1252) and says so. Never fails.
enum CharsetDecoder {
    /// The decoded text, and a note when the charset was not one decoded exactly.
    struct Decoded {
        var text: String
        var note: String?
    }

    /// Decodes `bytes` as `charset` (a MIME charset name, any case; `nil` when the mail names none).
    static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> Decoded {
        let name = (charset ?? "").lowercased().trimmingASCIIWhitespace()
        switch name {
        case "utf-8", "utf8":
            return Decoded(text: String(decoding: bytes, as: UTF8.self))
        case "", "us-ascii", "ascii", "ansi_x3.4-1968":
            // Unlabelled or "ASCII" mail often carries 8-bit bytes anyway: take UTF-8 when it is valid.
            return Decoded(text: utf8OrWindows1252(bytes))
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1":
            return Decoded(text: map(bytes) { Unicode.Scalar($0) })
        case "iso-8859-15", "iso8859-15", "latin-9", "latin9":
            return Decoded(text: map(bytes) { latin9[$0] ?? Unicode.Scalar($0) })
        case "windows-1252", "cp1252", "x-cp1252":
            return Decoded(text: windows1252(bytes))
        default:
            let shown = String(name.prefix(40))
            return Decoded(text: utf8OrWindows1252(bytes), note: "charset \(shown) decoded lossily")
        }
    }

    /// UTF-8 when `bytes` are valid UTF-8, else Windows-1252 (a superset of Latin-1's printable characters).
    static func utf8OrWindows1252(_ bytes: some Collection<UInt8>) -> String {
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return windows1252(bytes)
    }

    private static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        map(bytes) { byte in
            guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
            return Unicode.Scalar(cp1252High[Int(byte - 0x80)]) ?? Unicode.Scalar(byte)
        }
    }

    private static func map(_ bytes: some Collection<UInt8>, _ scalar: (UInt8) -> Unicode.Scalar) -> String {
        var view = String.UnicodeScalarView()
        view.reserveCapacity(bytes.count)
        for byte in bytes { view.append(scalar(byte)) }
        return String(view)
    }

    /// The eight places where ISO-8859-15 differs from ISO-8859-1.
    private static let latin9: [UInt8: Unicode.Scalar] = [
        0xA4: "\u{20AC}", 0xA6: "\u{0160}", 0xA8: "\u{0161}", 0xB4: "\u{017D}", 0xB8: "\u{017E}", 0xBC: "\u{0152}",
        0xBD: "\u{0153}", 0xBE: "\u{0178}",
    ]

    /// Windows-1252 bytes 0x80-0x9F (the five unassigned ones keep their C1 value).
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
