/// A `Content-Type` (or `Content-Disposition`) value: the lowercased type and subtype and its parameters, with
/// RFC 2231 continuations (`name*0=`, `name*1*=`) joined and extended values (`charset'lang'%XX`) decoded.
struct MIMEContentType: Sendable {
    /// `text`, `multipart`, `message`, ... lowercased.
    var type: String
    /// `plain`, `report`, `rfc822`, ... lowercased.
    var subtype: String
    /// Parameters by lowercased name.
    var parameters: [String: String]

    /// `type/subtype`.
    var mimeType: String { "\(type)/\(subtype)" }

    /// The default type of a body part (RFC 2045 section 5.2).
    static let textPlain = MIMEContentType(type: "text", subtype: "plain", parameters: [:])

    /// The type as written: a missing or malformed value gives `fallback`.
    init(_ value: String?, fallback: MIMEContentType = .textPlain) {
        guard let value else {
            self = fallback
            return
        }
        let (head, parameters) = Self.split(value)
        let pieces = head.split(separator: "/", maxSplits: 1).map {
            String($0).trimmingASCIIWhitespace().lowercased()
        }
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
            self = MIMEContentType(type: fallback.type, subtype: fallback.subtype, parameters: parameters)
            return
        }
        self.init(type: pieces[0], subtype: pieces[1], parameters: parameters)
    }

    init(type: String, subtype: String, parameters: [String: String]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// The value before the first `;`, and the parameters after it.
    static func split(_ value: String) -> (head: String, parameters: [String: String]) {
        let items = semicolonSeparated(value)
        var plain: [String: String] = [:]
        var pieces: [String: [Int: (text: String, extended: Bool)]] = [:]
        for item in items.dropFirst() {
            guard let equals = item.firstIndex(of: "=") else { continue }
            var name = String(item[..<equals]).trimmingASCIIWhitespace().lowercased()
            let text = unquote(String(item[item.index(after: equals)...]).trimmingASCIIWhitespace())
            let extended = name.hasSuffix("*")
            if extended { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let section = Int(name[name.index(after: star)...]) {
                pieces[String(name[..<star]), default: [:]][section] = (text, extended)
            } else if extended {
                pieces[name, default: [:]][0] = (text, true)
            } else if plain[name] == nil {
                plain[name] = text
            }
        }
        for (name, sections) in pieces {
            var bytes: [UInt8] = []
            var charset: String?
            for section in sections.keys.sorted() {
                guard let piece = sections[section] else { continue }
                var text = Substring(piece.text)
                if piece.extended, section == sections.keys.min() {
                    let fields = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 {
                        charset = String(fields[0])
                        text = fields[2]
                    }
                }
                bytes += piece.extended ? percentDecode(text) : Array(text.utf8)
            }
            plain[name] = CharsetDecoder.decode(bytes, charset: charset ?? "utf-8").text
        }
        return (items.first ?? "", plain)
    }

    /// `value` split at semicolons outside quoted strings (at most 64 items).
    private static func semicolonSeparated(_ value: String) -> [String] {
        var items: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                items.append(current)
                current = ""
                if items.count >= 64 { return items }
                continue
            }
            current.append(character)
        }
        items.append(current)
        return items
    }

    private static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var out = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if !escaped && character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            out.append(character)
        }
        return out
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = TransferDecoder.hex(bytes[index + 1]), let low = TransferDecoder.hex(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}
