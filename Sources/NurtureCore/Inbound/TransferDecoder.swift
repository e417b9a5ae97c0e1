/// Undoes a `Content-Transfer-Encoding` leniently: invalid base64 characters are skipped, a broken
/// quoted-printable escape is kept as written, unknown encodings pass through. Linear in the input.
enum TransferDecoder {
    /// `bytes` decoded by `encoding` (the header's value, any case; `nil` means 7bit).
    static func decode(_ bytes: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch (encoding ?? "").lowercased().trimmingASCIIWhitespace() {
        case "base64": base64(bytes)
        case "quoted-printable": quotedPrintable(bytes)
        default: Array(bytes)
        }
    }

    /// Base64 (RFC 4648 alphabet; line breaks, white space and any other stray bytes are skipped; decoding stops at
    /// the padding).
    static func base64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 * 3)
        var accumulator: UInt32 = 0
        var count = 0
        for byte in bytes {
            if byte == UInt8(ascii: "=") { break }
            guard let value = sextet(byte) else { continue }
            accumulator = accumulator << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(accumulator >> 16 & 0xFF))
                out.append(UInt8(accumulator >> 8 & 0xFF))
                out.append(UInt8(accumulator & 0xFF))
                accumulator = 0
                count = 0
            }
        }
        if count == 2 { out.append(UInt8(accumulator >> 4 & 0xFF)) }
        if count == 3 {
            out.append(UInt8(accumulator >> 10 & 0xFF))
            out.append(UInt8(accumulator >> 2 & 0xFF))
        }
        return out
    }

    /// Quoted-printable (RFC 2045 section 6.7): `=XX` escapes, soft line breaks; `_` stays `_` (see
    /// ``EncodedWordDecoder`` for the `Q` form).
    static func quotedPrintable(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            guard byte == UInt8(ascii: "=") else {
                out.append(byte)
                index += 1
                continue
            }
            if index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
                out.append(high << 4 | low)
                index += 3
                continue
            }
            // A soft line break: "=" then optional trailing blanks then CRLF or LF.
            var next = index + 1
            while next < input.count, input[next] == 0x20 || input[next] == 0x09 { next += 1 }
            if next < input.count, input[next] == 0x0D { next += 1 }
            if next < input.count, input[next] == 0x0A {
                index = next + 1
                continue
            }
            if next == input.count {
                index = next
                continue
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
