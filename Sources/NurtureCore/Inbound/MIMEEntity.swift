/// One MIME entity (a message or a body part), read leniently and with bounded work: at most
/// ``MIMELimits/messageBytes`` of the message, ``MIMELimits/bodyBytes`` of each leaf body,
/// ``MIMELimits/depth`` levels of nesting and ``MIMELimits/parts`` parts. What could not be read is noted in the
/// parser's problems, never thrown.
struct MIMEEntity: Sendable {
    /// The entity's header fields.
    var headers: MIMEHeaders
    /// Its `Content-Type` (text/plain when missing or malformed).
    var contentType: MIMEContentType
    /// The body as transferred (still transfer-encoded), capped for leaves.
    var body: ArraySlice<UInt8>
    /// The parts of a multipart, or the one embedded message of a `message/rfc822`, `message/global` or
    /// `text/rfc822-headers` part.
    var parts: [MIMEEntity] = []

    /// Whether this entity is, or returns, a whole message or its headers (`message/rfc822`,
    /// `text/rfc822-headers`, ...).
    var isEmbeddedMessage: Bool {
        [
            "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers",
            "message/global-headers",
        ].contains(contentType.mimeType)
    }

    /// The body with its transfer encoding undone.
    var decodedBody: [UInt8] {
        TransferDecoder.decode(body, encoding: headers.value("content-transfer-encoding"))
    }

    /// The body as text, in the charset it names.
    var text: CharsetDecoder.Decoded {
        CharsetDecoder.decode(decodedBody, charset: contentType.parameters["charset"])
    }

    /// This entity and every entity below it, depth first; `intoEmbedded: false` stops at returned messages.
    func walk(intoEmbedded: Bool = true) -> [MIMEEntity] {
        var out: [MIMEEntity] = [self]
        if isEmbeddedMessage && !intoEmbedded { return out }
        for part in parts { out += part.walk(intoEmbedded: intoEmbedded) }
        return out
    }
}

/// The caps on the work done for one message.
enum MIMELimits {
    /// Bytes of the raw message read at all.
    static let messageBytes = 4 * 1024 * 1024
    /// Bytes of each leaf body kept.
    static let bodyBytes = 256 * 1024
    /// Levels of multipart or embedded-message nesting read.
    static let depth = 16
    /// Entities read in one message.
    static let parts = 256
}

/// Reads a raw message into a tree of ``MIMEEntity``, noting what was malformed or cut.
struct MIMEParser {
    /// What was malformed or cut: the caps that applied first, then the malformations, each once (at most 20).
    var problems: [String] { limits + malformations }
    private var limits: [String] = []
    private var malformations: [String] = []
    /// Entities read so far (bounded by ``MIMELimits/parts``).
    private(set) var entityCount = 0

    /// Reads `raw` (cut at ``MIMELimits/messageBytes``).
    mutating func parse(_ raw: [UInt8]) -> MIMEEntity {
        if raw.count > MIMELimits.messageBytes {
            note("message is \(raw.count) bytes; only the first \(MIMELimits.messageBytes) were read", limit: true)
        }
        return parse(raw[..<min(raw.count, MIMELimits.messageBytes)], depth: 0, fallback: .textPlain)
    }

    private mutating func note(_ problem: String, limit: Bool = false) {
        guard problems.count < 20, !problems.contains(problem) else { return }
        if limit { limits.append(problem) } else { malformations.append(problem) }
    }

    private mutating func parse(
        _ bytes: ArraySlice<UInt8>, depth: Int, fallback: MIMEContentType
    ) -> MIMEEntity {
        entityCount += 1
        let (headers, bodyStart) = MIMEHeaders.parse(bytes)
        let contentType = MIMEContentType(headers.value("content-type"), fallback: fallback)
        let body = bytes[bodyStart...]
        var entity = MIMEEntity(headers: headers, contentType: contentType, body: body)
        let nested = contentType.type == "multipart" || entity.isEmbeddedMessage
        guard nested else {
            entity.body = body.prefix(MIMELimits.bodyBytes)
            return entity
        }
        guard depth < MIMELimits.depth else {
            note("parts nested deeper than \(MIMELimits.depth) levels were not read", limit: true)
            entity.body = body.prefix(MIMELimits.bodyBytes)
            return entity
        }
        if contentType.type == "multipart" {
            entity.parts = parseMultipart(body, contentType: contentType, depth: depth)
            entity.body = body.prefix(MIMELimits.bodyBytes)
        } else if entityCount < MIMELimits.parts {
            let inner = entity.decodedBodyIfEncoded(body)
            entity.parts = [parse(inner, depth: depth + 1, fallback: .textPlain)]
        }
        return entity
    }

    private mutating func parseMultipart(
        _ body: ArraySlice<UInt8>, contentType: MIMEContentType, depth: Int
    ) -> [MIMEEntity] {
        let declared = contentType.parameters["boundary"].flatMap { $0.isEmpty ? nil : $0 }
        guard let boundary = declared ?? guessBoundary(body) else {
            note("\(contentType.mimeType) has no boundary; read as one text part")
            return []
        }
        if declared == nil { note("\(contentType.mimeType) has no boundary parameter; used \"--\(boundary)\"") }
        let fallback =
            contentType.subtype == "digest"
            ? MIMEContentType(type: "message", subtype: "rfc822", parameters: [:]) : .textPlain
        let delimiter = Array("--\(boundary)".utf8)
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var closed = false
        var position = body.startIndex
        while position < body.endIndex {
            let (end, next) = ByteText.lineEnd(body, from: position)
            let line = body[position..<end]
            if line.starts(with: delimiter) {
                let after = line.dropFirst(delimiter.count)
                let isClose = after.starts(with: [0x2D, 0x2D])
                if isClose || after.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    if let start = partStart { ranges.append(start..<max(start, precedingLineBreak(body, position))) }
                    partStart = next
                    if isClose {
                        closed = true
                        partStart = nil
                        break
                    }
                }
            }
            position = next
        }
        if let start = partStart { ranges.append(start..<body.endIndex) }
        if ranges.isEmpty {
            note("\(contentType.mimeType) boundary \"\(boundary.prefix(70))\" never occurs; read as one text part")
            return []
        }
        if !closed { note("a \(contentType.mimeType) boundary was never closed") }
        var parts: [MIMEEntity] = []
        for range in ranges {
            guard entityCount < MIMELimits.parts else {
                note("more than \(MIMELimits.parts) parts; the rest were not read", limit: true)
                break
            }
            parts.append(parse(body[range], depth: depth + 1, fallback: fallback))
        }
        return parts
    }

    /// The start of the CR LF (or LF) that ends the line before `lineStart`: it belongs to the delimiter.
    private func precedingLineBreak(_ body: ArraySlice<UInt8>, _ lineStart: Int) -> Int {
        var end = lineStart
        if end > body.startIndex, body[end - 1] == 0x0A { end -= 1 }
        if end > body.startIndex, body[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// A boundary for a multipart that names none: the first line that looks like a delimiter (`--something`).
    private func guessBoundary(_ body: ArraySlice<UInt8>) -> String? {
        var position = body.startIndex
        var lines = 0
        while position < body.endIndex, lines < 200 {
            let (end, next) = ByteText.lineEnd(body, from: position)
            let line = body[position..<end]
            if line.count > 3, line.count <= 72, line.starts(with: [0x2D, 0x2D]),
                !line.dropFirst(2).contains(where: { $0 <= 0x20 || $0 >= 0x7F })
            {
                return String(decoding: line.dropFirst(2), as: UTF8.self)
            }
            position = next
            lines += 1
        }
        return nil
    }
}

extension MIMEEntity {
    /// An embedded message sent base64 or quoted-printable is decoded before it is read (rare, but seen).
    fileprivate func decodedBodyIfEncoded(_ body: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let encoding = headers.value("content-transfer-encoding")?.lowercased() ?? ""
        guard encoding.contains("base64") || encoding.contains("quoted") else { return body }
        return TransferDecoder.decode(body.prefix(MIMELimits.bodyBytes), encoding: encoding)[...]
    }
}
