/// Lead attributes as every store keeps them: a JSON object of strings, keys sorted (the same text in SQLite and
/// PostgreSQL, so `nurture store copy` moves it unchanged).
///
/// Written by hand rather than with `JSONEncoder` because a million-lead import encodes a million of
/// them; read back with `JSONDecoder`.
package enum AttributesJSON {
    /// The JSON text for `attributes`, e.g. `{"plan":"pro"}`.
    package static func encode(_ attributes: [String: String]) -> String {
        if attributes.isEmpty { return "{}" }
        var text = "{"
        for (index, key) in attributes.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            append(key, to: &text)
            text += ":"
            append(attributes[key] ?? "", to: &text)
        }
        text += "}"
        return text
    }

    private static func append(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
