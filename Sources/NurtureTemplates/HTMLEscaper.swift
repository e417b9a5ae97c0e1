/// HTML escaping that works per Unicode scalar, so that a combining mark cannot hide a quote or bracket.
///
/// swift-mustache escapes per `Character` (grapheme cluster): `"` followed by U+0301 forms one cluster that is
/// not equal to `"`, and passes through unescaped, breaking out of an attribute. This escaper looks at every
/// scalar on its own.
package enum HTMLEscaper {
    /// Replaces `&`, `<`, `>`, `"` and `'` with character references, scalar by scalar.
    package static func escape(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        escaped.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
