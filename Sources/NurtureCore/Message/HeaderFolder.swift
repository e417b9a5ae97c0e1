/// Lays a header field out on CRLF-terminated lines, folding before white space (RFC 5322 section 2.2.3).
///
/// A field value is given as segments: the first goes right after `Name: `, and every later one starts
/// with one white-space character followed by something else, so that a fold is allowed before it and
/// no continuation line is white space only. Unfolding (dropping each CRLF) gives back the value exactly.
enum HeaderFolder {
    /// The field as bytes, folded so lines stay within 78 octets where the segments allow.
    /// - Returns: `nil` when a segment is so long that some line would exceed 998 octets.
    static func fold(name: String, segments: [String]) -> [UInt8]? {
        var out: [UInt8] = []
        var line = Array((name + ":").utf8)
        for (index, segment) in segments.enumerated() {
            let bytes = Array(segment.utf8)
            if index == 0 {
                if !bytes.isEmpty { line += [0x20] + bytes }
            } else if line.count + bytes.count <= MessageSyntax.targetLineLength {
                line += bytes
            } else {
                out += line + MessageSyntax.crlf
                line = bytes
            }
            if line.count > MessageSyntax.maximumLineLength { return nil }
        }
        return out + line + MessageSyntax.crlf
    }

    /// Cuts `text` into segments for ``fold(name:segments:)``: a new segment starts at the last white-space
    /// character of each run that is followed by a non-white-space character.
    static func segments(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        var start = 0
        for index in bytes.indices.dropFirst() where MessageSyntax.isWSP(bytes[index]) {
            guard index + 1 < bytes.count, !MessageSyntax.isWSP(bytes[index + 1]) else { continue }
            result.append(String(decoding: bytes[start..<index], as: UTF8.self))
            start = index
        }
        result.append(String(decoding: bytes[start...], as: UTF8.self))
        return result
    }

    /// Joins encoded-words (or atoms) with single spaces, as fold-ready segments.
    static func spaced(_ words: [String]) -> [String] {
        words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }
}
