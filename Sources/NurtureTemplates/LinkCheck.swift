/// Links in HTML mail: which attributes hold a URL, and whether a rendered URL is one mail may carry.
///
/// A rendered `href` or `src` (or any other URL attribute) may only use `http`, `https` or `mailto`, or no
/// scheme at all; `javascript:`, `data:`, `vbscript:` and every other scheme are refused. The value is read as a
/// browser reads it: character references decoded (`&#x09;`, `&Tab;`, `&colon;`), leading and trailing spaces
/// and control characters dropped, tabs and line breaks removed wherever they are, letters compared without
/// case — so `JaVaScRiPt:`, ` javascript:` and `java&#x09;script:` are all `javascript:`. Pure.
enum LinkCheck {
    /// Attributes whose value is a URL (HTML and SVG).
    static let urlAttributes: Set<String> = [
        "href", "src", "srcset", "action", "formaction", "poster", "cite", "background", "longdesc", "usemap",
        "data", "codebase", "classid", "archive", "profile", "manifest", "icon", "ping", "lowsrc", "dynsrc",
        "xlink:href", "xml:base",
    ]

    /// Schemes a link in mail may use.
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    /// Whether a value in `attribute` is read as a URL or as script or style (event handlers, `style`).
    static func isSensitive(_ attribute: String) -> Bool {
        urlAttributes.contains(attribute) || attribute.hasPrefix("on") || attribute == "style"
    }

    /// The scheme of `value` (an attribute value as written, entities not decoded) when it is not allowed;
    /// `nil` for an allowed scheme or a relative URL.
    static func refusedScheme(_ value: String) -> String? {
        var scalars = Array(decodingCharacterReferences(value).unicodeScalars)
        // Leading and trailing C0 controls and spaces are stripped; tabs and line breaks are removed anywhere.
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let colon = scalars.firstIndex(of: ":"), colon > 0,
            scalars[0].isASCII, scalars[0].properties.isAlphabetic,
            scalars[..<colon].allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
            })
        else { return nil }
        let scheme = String(String.UnicodeScalarView(scalars[..<colon])).lowercased()
        return allowedSchemes.contains(scheme) ? nil : scheme
    }

    /// The first attribute of a rendered document whose URL uses a refused scheme.
    static func firstRefused(inHTML html: String) -> (attribute: HTMLContext.Attribute, scheme: String)? {
        var reader = HTMLContext()
        reader.collects = true
        reader.feed(html)
        for attribute in reader.attributes where urlAttributes.contains(attribute.name) {
            if attribute.name == "srcset" {
                // Each candidate is `URL [descriptor]`, separated by commas.
                for candidate in attribute.value.split(separator: ",") {
                    let url = candidate.split(whereSeparator: { $0 == " " }).first.map(String.init) ?? ""
                    if let scheme = refusedScheme(url) { return (attribute, scheme) }
                }
            } else if let scheme = refusedScheme(attribute.value) {
                return (attribute, scheme)
            }
        }
        return nil
    }

    /// Named references that spell URL syntax; every numeric one (`&#58;`, `&#x3A;`) is decoded too.
    private static let namedReferences: [String: String] = [
        "tab": "\t", "newline": "\n", "colon": ":", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
        "sol": "/", "nbsp": "\u{A0}", "period": ".", "lpar": "(", "rpar": ")", "num": "#", "quest": "?",
    ]

    /// `text` with character references decoded once, as a browser does in an attribute value (the semicolon
    /// of a numeric reference is optional).
    static func decodingCharacterReferences(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "&" else {
                result.append(scalars[index])
                index += 1
                continue
            }
            var end = index + 1
            if end < scalars.count, scalars[end] == "#" {
                end += 1
                let hex = end < scalars.count && (scalars[end] == "x" || scalars[end] == "X")
                if hex { end += 1 }
                let digitsStart = end
                while end < scalars.count,
                    hex ? scalars[end].properties.isASCIIHexDigit : ("0"..."9").contains(scalars[end])
                {
                    end += 1
                }
                let digits = String(String.UnicodeScalarView(scalars[digitsStart..<end]))
                if let value = UInt32(digits.prefix(8), radix: hex ? 16 : 10), !digits.isEmpty {
                    result.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                    if end < scalars.count, scalars[end] == ";" { end += 1 }
                    index = end
                    continue
                }
            } else {
                while end < scalars.count, scalars[end].isASCII, scalars[end].properties.isAlphabetic { end += 1 }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end])).lowercased()
                if end < scalars.count, scalars[end] == ";", let replacement = namedReferences[name] {
                    result.append(contentsOf: replacement.unicodeScalars)
                    index = end + 1
                    continue
                }
            }
            result.append("&")
            index += 1
        }
        return String(result)
    }
}
