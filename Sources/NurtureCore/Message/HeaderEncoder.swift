/// Turns subjects, display names and extra-header values into fold-ready segments.
///
/// Plain ASCII that reads the same to every parser is written as is; anything else becomes RFC 2047
/// encoded-words, which can always be folded and can never carry a raw CR or LF.
enum HeaderEncoder {
    /// A subject or display name made safe for one header: CR/LF runs inside the text become one space,
    /// leading and trailing CR/LF are dropped, TAB stays, any other control character is rejected.
    ///
    /// Line breaks are folded rather than rejected because lead data (a name pasted into a form) often
    /// ends in a newline; a header value cannot hold a line break, so a reader would unfold it anyway.
    static func singleLine(_ text: String, field: String) throws(ComposeError) -> String {
        var result = String.UnicodeScalarView()
        var pendingBreak = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" || scalar == "\n" {
                pendingBreak = !result.isEmpty
                continue
            }
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                throw .controlCharacter(field: field, scalar: scalar.value)
            }
            if pendingBreak { result.append(" ") }
            pendingBreak = false
            result.append(scalar)
        }
        return String(result)
    }

    /// Segments for unstructured text (`Subject`, extra headers with non-ASCII text).
    /// - Parameter nameLength: octets taken by `Name: ` on the first line.
    static func unstructured(_ text: String, nameLength: Int) -> [String] {
        if text.isEmpty { return [] }
        if isPlain(text) {
            let segments = HeaderFolder.segments(of: text)
            let fits = segments.enumerated().allSatisfy { index, segment in
                segment.utf8.count + (index == 0 ? nameLength : 0) <= MessageSyntax.targetLineLength
            }
            if fits { return segments }
        }
        let firstRoom = MessageSyntax.targetLineLength - nameLength
        return HeaderFolder.spaced(EncodedWord.encode(text, firstMaximumLength: firstRoom))
    }

    /// Segments for a mailbox: `Name <local@domain>`, or the bare address when there is no name.
    static func mailbox(_ mailbox: Mailbox, header: String, field: String) throws(ComposeError) -> [String] {
        let address = mailbox.address.description
        guard let raw = mailbox.displayName else { return [address] }
        let name = try singleLine(raw, field: field)
        if name.isEmpty { return [address] }
        return phrase(name, nameLength: header.utf8.count + 2) + [" <" + address + ">"]
    }

    /// A display name as atoms, one quoted-string, or encoded-words.
    static func phrase(_ name: String, nameLength: Int) -> [String] {
        let bytes = Array(name.utf8)
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        let isAtoms = words.allSatisfy { word in
            !word.isEmpty && word.utf8.count <= 60 && word.utf8.allSatisfy(MessageSyntax.isAtext)
        }
        if isAtoms && !MessageSyntax.contains(bytes, Array("=?".utf8)) {
            return HeaderFolder.spaced(words.map(String.init))
        }
        if bytes.allSatisfy(MessageSyntax.isPrintableASCII) && !containsEncodedWordStart(name) {
            var quoted = "\""
            for character in name.unicodeScalars {
                if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(character)
            }
            quoted += "\""
            if quoted.utf8.count <= EncodedWord.maximumLength { return [quoted] }
        }
        let firstRoom = MessageSyntax.targetLineLength - nameLength
        return HeaderFolder.spaced(EncodedWord.encode(name, firstMaximumLength: firstRoom))
    }

    /// Printable ASCII with no leading or trailing white space and nothing a decoder would take for an
    /// encoded-word: safe to write unencoded as unstructured text.
    static func isPlain(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last else { return true }
        return !MessageSyntax.isWSP(first) && !MessageSyntax.isWSP(last)
            && bytes.allSatisfy(MessageSyntax.isPrintableASCII) && !containsEncodedWordStart(text)
    }

    private static func containsEncodedWordStart(_ text: String) -> Bool {
        MessageSyntax.contains(text.utf8, Array("=?".utf8))
    }
}
