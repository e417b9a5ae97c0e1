/// A Message-ID (`<left@right>`, RFC 5322 section 3.6.4), fixed when a send is planned and reused on retries.
package struct MessageID: Sendable, Hashable, CustomStringConvertible {
    /// The part before the `@`.
    let left: String
    /// The part after the `@`.
    let right: String

    /// The longest Message-ID accepted, angle brackets included.
    static let maximumLength = 250

    /// The header form, `<left@right>`.
    package var description: String { "<\(left)@\(right)>" }

    /// Parses `<left@right>` or `left@right`; both sides must be RFC 5322 `dot-atom-text`.
    /// - Throws: ``ComposeError/invalidMessageID(_:reason:)`` saying what is wrong.
    package init(_ text: String) throws(ComposeError) {
        if let control = text.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            let reason =
                control == "\r" || control == "\n" ? "it contains a line break" : "it contains a control character"
            throw .invalidMessageID(text, reason: reason)
        }
        var body = Substring(text)
        if body.hasPrefix("<") || body.hasSuffix(">") {
            guard body.count >= 2, body.hasPrefix("<"), body.hasSuffix(">") else {
                throw .invalidMessageID(text, reason: "the angle brackets are unbalanced")
            }
            body = body.dropFirst().dropLast()
        }
        let parts = body.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .invalidMessageID(text, reason: "it needs exactly one '@'") }
        guard MessageSyntax.isDotAtomText(parts[0]) else {
            throw .invalidMessageID(
                text,
                reason:
                    "the part before '@' is not dot-atom text (letters, digits, !#$%&'*+-/=?^_`{|}~ and single dots)")
        }
        guard MessageSyntax.isDotAtomText(parts[1]) else {
            throw .invalidMessageID(text, reason: "the part after '@' is not dot-atom text (e.g. a domain name)")
        }
        guard body.utf8.count + 2 <= Self.maximumLength else {
            throw .invalidMessageID(text, reason: "it is longer than \(Self.maximumLength) octets")
        }
        self.left = String(parts[0])
        self.right = String(parts[1])
    }

    private init(left: String, right: String) {
        self.left = left
        self.right = right
    }

    /// Builds `<unique@domain>` from caller-supplied parts (for example ``MessageIDRandomness/unique(using:)``
    /// and the sender's domain).
    ///
    /// Never fails: characters outside `dot-atom-text` become `-`, stray dots are dropped, each side is cut to
    /// 120 octets, and an empty side becomes `nurture` (left) or `invalid` (right).
    package static func make(unique: String, domain: String) -> MessageID {
        MessageID(left: sanitized(unique, fallback: "nurture"), right: sanitized(domain, fallback: "invalid"))
    }

    private static func sanitized(_ text: String, fallback: String) -> String {
        var bytes: [UInt8] = text.unicodeScalars.map { scalar in
            guard scalar.isASCII else { return UInt8(ascii: "-") }
            let byte = UInt8(scalar.value)
            return MessageSyntax.isAtext(byte) || byte == UInt8(ascii: ".") ? byte : UInt8(ascii: "-")
        }
        bytes = Array(bytes.prefix(120))
        let atoms = bytes.split(separator: UInt8(ascii: "."))
        let joined = atoms.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
        return joined.isEmpty ? fallback : joined
    }
}
