/// Reads addresses and message ids out of header values and free text, leniently and in linear time.
enum HeaderValues {
    /// The message ids in a `Message-ID`, `In-Reply-To` or `References` value, without angle brackets (bare
    /// `left@right` tokens are taken when there are no brackets). At most 100.
    static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while ids.count < 100, let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let id = rest[rest.index(after: open)..<close].filter { !$0.isWhitespace }
            if id.contains("@"), id.count <= 250, isPrintableASCII(id) { ids.append(String(id)) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            let tokens = value.split { (character: Character) in
                character == " " || character == "\t" || character == ","
            }
            ids = tokens.filter { $0.contains("@") && $0.count <= 250 && isPrintableASCII($0) }.prefix(100).map {
                String($0)
            }
        }
        return ids
    }

    /// The addr-specs in an address-list value (`"Ada" <ada@example.com>, bob@example.com (Bob)`), lowercased.
    static func addresses(_ value: String) -> [String] {
        var found: [String] = []
        for item in splitOutsideQuotes(EncodedWordDecoder.decode(value)).prefix(200) {
            if let open = item.lastIndex(of: "<"), let close = item[open...].firstIndex(of: ">") {
                let inner = String(item[item.index(after: open)..<close]).trimmingASCIIWhitespace()
                if inner.contains("@"), inner.count <= 254, isPrintableASCII(inner) { found.append(inner.lowercased()) }
            } else if let address = addresses(inText: String(item), limit: 1).first {
                found.append(address)
            }
        }
        return found
    }

    /// Address-like tokens (`local@domain.tld`) in free text, lowercased, in order, at most `limit`.
    static func addresses(inText text: String, limit: Int) -> [String] {
        let bytes = Array(text.utf8)
        var found: [String] = []
        var index = 0
        while index < bytes.count, found.count < limit {
            guard bytes[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            var start = index
            while start > 0, start > index - 64, isLocalByte(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            while end < bytes.count, end < index + 256, isDomainByte(bytes[end]) { end += 1 }
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") {
                end -= 1
            }
            while start < index, bytes[start] == UInt8(ascii: ".") { start += 1 }
            let domain = bytes[(index + 1)..<end]
            if start < index, domain.contains(UInt8(ascii: ".")) {
                found.append(String(decoding: bytes[start..<end], as: UTF8.self).lowercased())
            }
            index = max(end, index + 1)
        }
        return found
    }

    /// Whether `text` is printable ASCII without spaces (what a message id or an address may hold here: no control
    /// character or line break reaches the store or a log line).
    static func isPrintableASCII(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// One line of text for the operator: control characters (line breaks, escapes) become spaces, at most `limit`
    /// characters.
    static func oneLine(_ text: String, limit: Int) -> String {
        let scalars = text.unicodeScalars.prefix(limit * 2).map { scalar -> Character in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
                ? " " : Character(scalar)
        }
        return String(String(scalars).prefix(limit))
    }

    /// The local part of an address (before the last `@`), lowercased.
    static func localPart(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address.lowercased() }
        return address[..<at].lowercased()
    }

    private static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~.".utf8)

    private static func isLocalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: localSymbols.contains(byte)
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// `value` split at commas outside quoted strings and comments.
    private static func splitOutsideQuotes(_ value: String) -> [Substring] {
        var items: [Substring] = []
        var start = value.startIndex
        var quoted = false
        var angle = false
        var index = value.startIndex
        while index < value.endIndex {
            switch value[index] {
            case "\"": quoted.toggle()
            case "<" where !quoted: angle = true
            case ">" where !quoted: angle = false
            case "," where !quoted && !angle:
                items.append(value[start..<index])
                start = value.index(after: index)
            default: break
            }
            index = value.index(after: index)
        }
        items.append(value[start...])
        return items
    }
}
