/// The multipart boundary: a pure function of the Message-ID.
///
/// It starts with `=_`, which quoted-printable (always escapes `=`) and base64 (no `_`, `=` only as
/// final padding) never produce and which 7bit bodies are not allowed to contain, so no encoded body
/// line can ever equal or start with a delimiter line.
enum MIMEBoundary {
    /// `=_nurture_` followed by 32 hexadecimal digits derived from `messageID`.
    static func make(for messageID: MessageID) -> String {
        let bytes = Array(messageID.description.utf8)
        let first = fnv1a(bytes, basis: 0xcbf2_9ce4_8422_2325)
        let second = fnv1a(bytes.reversed(), basis: first ^ 0x9e37_79b9_7f4a_7c15)
        return "=_nurture_" + hex(first) + hex(second)
    }

    private static func fnv1a(_ bytes: some Sequence<UInt8>, basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
