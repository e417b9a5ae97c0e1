/// RFC 2047 encoded-words (`=?UTF-8?Q?...?=` / `=?UTF-8?B?...?=`) for header text that is not plain ASCII.
///
/// Text is cut between grapheme clusters, so no character (and no UTF-8 sequence) is split across
/// two encoded-words. A single grapheme cluster too big for one encoded-word (a long run of combining
/// marks, say) is cut between Unicode scalars instead, which still keeps every UTF-8 sequence whole.
enum EncodedWord {
    /// The longest encoded-word the composer writes: under RFC 2047's 75, so that `Reply-To: ` plus one
    /// word still fits in 78 columns.
    static let maximumLength = 66
    /// The shortest budget a word is given, enough for any one scalar in either encoding.
    static let minimumLength = 24
    /// `=?UTF-8?Q?` plus `?=`.
    private static let overhead = 12

    /// The two RFC 2047 encodings.
    enum Encoding: Sendable { case b, q }

    /// Encodes `text` as encoded-words whose decodings, concatenated, give back `text` exactly.
    /// - Parameter firstMaximumLength: a smaller budget for the first word, which shares its line with the
    ///   header name.
    static func encode(_ text: String, firstMaximumLength: Int = maximumLength) -> [String] {
        let bytes = Array(text.utf8)
        let qCost = bytes.reduce(0) { $0 + qLength(of: $1) }
        let encoding: Encoding = qCost <= (bytes.count + 2) / 3 * 4 ? .q : .b
        var words: [String] = []
        var chunk: [UInt8] = []
        var budget = max(minimumLength, min(maximumLength, firstMaximumLength)) - overhead

        func flush() {
            guard !chunk.isEmpty else { return }
            words.append(word(for: chunk, encoding: encoding))
            chunk = []
            budget = maximumLength - overhead
        }
        func fits(_ more: some Collection<UInt8>) -> Bool { payloadLength(of: chunk + more, encoding) <= budget }

        for character in text {
            let utf8 = Array(String(character).utf8)
            if fits(utf8) { chunk += utf8; continue }
            flush()
            if fits(utf8) { chunk += utf8; continue }
            for scalar in character.unicodeScalars {
                let scalarBytes = Array(String(scalar).utf8)
                if !fits(scalarBytes) { flush() }
                chunk += scalarBytes
            }
        }
        flush()
        return words.isEmpty ? [word(for: [], encoding: .q)] : words
    }

    /// One encoded-word for `bytes`.
    static func word(for bytes: [UInt8], encoding: Encoding) -> String {
        switch encoding {
        case .b: return "=?UTF-8?B?" + Base64.encode(bytes) + "?="
        case .q:
            var payload: [UInt8] = []
            for byte in bytes {
                if byte == 0x20 {
                    payload.append(UInt8(ascii: "_"))
                } else if isQSafe(byte) {
                    payload.append(byte)
                } else {
                    payload += [
                        UInt8(ascii: "="), MessageSyntax.hexDigits[Int(byte >> 4)],
                        MessageSyntax.hexDigits[Int(byte & 0x0F)],
                    ]
                }
            }
            return "=?UTF-8?Q?" + String(decoding: payload, as: UTF8.self) + "?="
        }
    }

    private static func payloadLength(of bytes: [UInt8], _ encoding: Encoding) -> Int {
        switch encoding {
        case .b: return (bytes.count + 2) / 3 * 4
        case .q: return bytes.reduce(0) { $0 + qLength(of: $1) }
        }
    }

    private static func qLength(of byte: UInt8) -> Int { byte == 0x20 || isQSafe(byte) ? 1 : 3 }

    /// The characters RFC 2047 section 5 (3) allows unencoded in a `phrase`, which also suit `*text`.
    private static func isQSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return byte == UInt8(ascii: "!") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
        }
    }
}
