/// An extra header such as `List-Unsubscribe`, validated so it cannot break the message around it.
package struct HeaderField: Sendable, Equatable {
    /// The field name, e.g. `List-Unsubscribe`.
    package let name: String
    /// The field value with leading and trailing white space removed; unfolded, unencoded text.
    package let value: String

    /// Names the composer writes itself, or that would change recipients or the MIME structure
    /// (compared case-insensitively; any `Content-*` name is refused too).
    static let reservedNames: Set<String> = [
        "date", "message-id", "from", "reply-to", "to", "subject", "mime-version", "sender", "cc", "bcc",
        "return-path",
    ]

    /// Validates and builds a header field.
    ///
    /// The name must be 1 to 76 characters of RFC 5322 `ftext` and not a reserved name. The value must
    /// not contain CR, LF, NUL or any other control character except TAB. Printable ASCII values are
    /// written as given (folded at white space, so URLs survive); values with non-ASCII text are written
    /// as RFC 2047 encoded-words. Because ASCII values are verbatim (structured headers must stay parseable),
    /// an ASCII token that is itself a well-formed encoded-word (`=?UTF-8?B?...?=`) will be decoded by readers.
    /// - Throws: ``ComposeError`` naming the header and the problem.
    package init(name: String, value: String) throws(ComposeError) {
        guard !name.isEmpty, name.utf8.count <= 76, name.utf8.allSatisfy(MessageSyntax.isFtext) else {
            throw .invalidHeaderName(name)
        }
        let lowered = name.lowercased()
        guard !Self.reservedNames.contains(lowered), !lowered.hasPrefix("content-") else {
            throw .reservedHeaderName(name)
        }
        for scalar in value.unicodeScalars where scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
            throw .controlCharacterInHeaderValue(header: name, scalar: scalar.value)
        }
        self.name = name
        self.value = Self.trimmingWhiteSpace(value)
        _ = try rendered()
    }

    /// The folded field, CRLF-terminated.
    func rendered() throws(ComposeError) -> [UInt8] {
        let isASCII = value.utf8.allSatisfy { MessageSyntax.isPrintableASCII($0) || $0 == 0x09 }
        let segments =
            isASCII && !value.isEmpty
            ? HeaderFolder.segments(of: value) : HeaderEncoder.unstructured(value, nameLength: name.utf8.count + 2)
        guard let bytes = HeaderFolder.fold(name: name, segments: segments) else {
            let longest = segments.map(\.utf8.count).max() ?? 0
            throw .headerLineTooLong(header: name, octets: name.utf8.count + 2 + longest)
        }
        return bytes
    }

    private static func trimmingWhiteSpace(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
