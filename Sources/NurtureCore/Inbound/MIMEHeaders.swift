/// The header fields of a message or body part, unfolded and in order, read leniently: 8-bit bytes are taken as
/// UTF-8 when valid (else Windows-1252), a missing blank line before the body is tolerated, and the work is capped.
struct MIMEHeaders: Sendable {
    /// One field: its name lowercased and its unfolded value, trimmed, still RFC 2047 encoded.
    struct Field: Sendable {
        var name: String
        var value: String
    }

    /// The fields, in order.
    var fields: [Field] = []

    /// At most this many fields are kept; the rest are ignored.
    static let maximumFields = 500
    /// At most this many bytes are read as header; the rest is taken as the body.
    static let maximumBytes = 256 * 1024

    /// The first value of the field `name` (lowercase), if any.
    func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of the field `name` (lowercase), in order.
    func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Whether the field `name` (lowercase) is present.
    func has(_ name: String) -> Bool { fields.contains { $0.name == name } }

    /// The first value of `name` with its RFC 2047 encoded words decoded.
    func decoded(_ name: String) -> String? { value(name).map(EncodedWordDecoder.decode) }

    /// Parses the header block at the start of `bytes` and says where the body starts. A block that does not
    /// start with a field is no header at all: the whole input is body.
    static func parse(_ bytes: ArraySlice<UInt8>) -> (headers: MIMEHeaders, bodyStart: Int) {
        var headers = MIMEHeaders()
        var position = bytes.startIndex
        var current: (name: String, value: [UInt8])?
        func flush() {
            if let field = current, headers.fields.count < maximumFields {
                let value = CharsetDecoder.utf8OrWindows1252(field.value).trimmingASCIIWhitespace()
                headers.fields.append(Field(name: field.name, value: value))
            }
            current = nil
        }
        // An mbox "From " separator line before the first field is skipped.
        if bytes.starts(with: Array("From ".utf8)) { position = ByteText.lineEnd(bytes, from: position).next }
        while position < bytes.endIndex {
            let (end, next) = ByteText.lineEnd(bytes, from: position)
            let line = bytes[position..<end]
            if line.isEmpty {
                flush()
                return (headers, next)
            }
            if position - bytes.startIndex > maximumBytes {
                flush()
                return (headers, position)
            }
            if let first = line.first, first == 0x20 || first == 0x09, current != nil {
                current?.value.append(contentsOf: line)
            } else if let colon = fieldNameEnd(line) {
                flush()
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                    .trimmingASCIIWhitespace().lowercased()
                current = (name, Array(line[(colon + 1)...]))
            } else {
                // Not a field: the sender forgot the blank line, or there is no header at all.
                flush()
                return (headers, headers.fields.isEmpty ? bytes.startIndex : position)
            }
            position = next
        }
        flush()
        return (headers, bytes.endIndex)
    }

    /// Reads consecutive header blocks separated by blank lines (the shape of a `message/delivery-status` or
    /// `message/feedback-report` body), at most `limit` of them.
    static func groups(_ bytes: ArraySlice<UInt8>, limit: Int = 100) -> [MIMEHeaders] {
        var groups: [MIMEHeaders] = []
        var position = bytes.startIndex
        while position < bytes.endIndex, groups.count < limit {
            let (end, next) = ByteText.lineEnd(bytes, from: position)
            if bytes[position..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                position = next
                continue
            }
            let (headers, bodyStart) = parse(bytes[position...])
            if headers.fields.isEmpty || bodyStart <= position { break }
            groups.append(headers)
            position = bodyStart
        }
        return groups
    }

    /// The index of the colon ending a field name (printable ASCII without space), if `line` starts with one.
    private static func fieldNameEnd(_ line: ArraySlice<UInt8>) -> Int? {
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if byte == UInt8(ascii: ":") { return index > line.startIndex ? index : nil }
            // Tolerate blanks between the name and the colon ("Subject : hi"), nothing else.
            if byte == 0x20 || byte == 0x09 {
                let rest = line[index...].drop { $0 == 0x20 || $0 == 0x09 }
                return rest.first == UInt8(ascii: ":") && index > line.startIndex ? rest.startIndex : nil
            }
            guard byte > 0x20, byte < 0x7F else { return nil }
            index += 1
        }
        return nil
    }
}

/// Byte-level line helpers shared by the MIME reader.
enum ByteText {
    /// The end of the line starting at `start` (before CR LF or LF) and where the next line starts.
    static func lineEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> (end: Int, next: Int) {
        guard let newline = bytes[start...].firstIndex(of: 0x0A) else { return (bytes.endIndex, bytes.endIndex) }
        let end = newline > start && bytes[newline - 1] == 0x0D ? newline - 1 : newline
        return (end, newline + 1)
    }
}
