/// An RFC 5321 mailbox (`local-part@domain`) that is safe to put on an SMTP command line and in a
/// message header.
///
/// Construction validates the text: dot-atom local part, LDH host name or bracketed IPv4 literal,
/// RFC 5321 length limits, ASCII only (no SMTPUTF8), and in particular no CR, LF, NUL, space, `<`,
/// `>` or any other byte that could end an SMTP command or a header early.
package struct EmailAddress: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// The part before the `@`, exactly as given.
    package let localPart: String
    /// The domain after the `@`, lower-cased (domains are case-insensitive).
    package let domain: String

    /// The address as it goes on the wire: `local@domain`.
    package var description: String { "\(localPart)@\(domain)" }

    /// Validates `text` (surrounding white space is trimmed) and builds the address.
    /// - Throws: ``AddressError`` saying what is wrong with the text.
    package init(_ text: String) throws(AddressError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw AddressError(input: text, reason: .empty) }
        for scalar in trimmed.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                throw AddressError(input: text, reason: .controlCharacter(scalar.value))
            }
            if scalar.value > 0x7E { throw AddressError(input: text, reason: .nonASCII) }
        }
        guard trimmed.utf8.count <= 254 else {
            throw AddressError(input: text, reason: .tooLong(trimmed.utf8.count))
        }
        guard let at = trimmed.lastIndex(of: "@") else { throw AddressError(input: text, reason: .missingAt) }
        let local = String(trimmed[..<at])
        let domain = String(trimmed[trimmed.index(after: at)...])
        try Self.validateLocalPart(local, input: text)
        try Self.validateDomain(domain, input: text)
        self.localPart = local
        self.domain = domain.lowercased()
    }

    /// Orders addresses by their wire form, so lists print in a stable order.
    package static func < (lhs: EmailAddress, rhs: EmailAddress) -> Bool { lhs.description < rhs.description }

    private static let atext: Set<UInt8> = Set(Array("!#$%&'*+-/=?^_`{|}~".utf8)).union(
        Set(UInt8(ascii: "a")...UInt8(ascii: "z")).union(UInt8(ascii: "A")...UInt8(ascii: "Z"))
            .union(UInt8(ascii: "0")...UInt8(ascii: "9"))
    )

    private static func validateLocalPart(_ local: String, input: String) throws(AddressError) {
        guard !local.isEmpty else { throw AddressError(input: input, reason: .emptyLocalPart) }
        guard local.utf8.count <= 64 else { throw AddressError(input: input, reason: .localPartTooLong) }
        if local.hasPrefix("\"") { throw AddressError(input: input, reason: .quotedLocalPart) }
        for atom in local.split(separator: ".", omittingEmptySubsequences: false) {
            guard !atom.isEmpty else { throw AddressError(input: input, reason: .misplacedDot) }
            for byte in atom.utf8 where !atext.contains(byte) {
                throw AddressError(input: input, reason: .invalidCharacter(Character(Unicode.Scalar(byte))))
            }
        }
    }

    private static func validateDomain(_ domain: String, input: String) throws(AddressError) {
        guard !domain.isEmpty else { throw AddressError(input: input, reason: .emptyDomain) }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]"), isIPv4(domain.dropFirst().dropLast()) else {
                throw AddressError(input: input, reason: .invalidDomain("address literals must be [a.b.c.d]"))
            }
            return
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw AddressError(input: input, reason: .invalidDomain("it needs at least one dot, e.g. example.com"))
        }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63 else {
                throw AddressError(input: input, reason: .invalidDomain("each label must be 1 to 63 characters"))
            }
            guard label.first != "-", label.last != "-" else {
                throw AddressError(input: input, reason: .invalidDomain("a label cannot start or end with '-'"))
            }
            for byte in label.utf8 {
                let isLDH =
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                guard isLDH else {
                    throw AddressError(
                        input: input, reason: .invalidDomain("'\(Character(Unicode.Scalar(byte)))' is not allowed"))
                }
            }
        }
    }

    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && UInt8(part) != nil
            }
    }
}

/// Why a text is not a usable email address.
package struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that was rejected.
    package let input: String
    /// What is wrong with it.
    package let reason: Reason

    /// The kinds of problem an address can have.
    package enum Reason: Sendable, Equatable {
        case empty, missingAt, emptyLocalPart, emptyDomain, misplacedDot, quotedLocalPart, nonASCII
        case localPartTooLong
        case tooLong(Int)
        case controlCharacter(UInt32)
        case invalidCharacter(Character)
        case invalidDomain(String)
    }

    /// One sentence naming the address and the fix.
    package var description: String {
        let shown = input.debugDescription
        switch reason {
        case .empty: return "email address is empty; give an address like name@example.com"
        case .missingAt: return "email address \(shown) has no '@'; give an address like name@example.com"
        case .emptyLocalPart: return "email address \(shown) has nothing before the '@'"
        case .emptyDomain: return "email address \(shown) has no domain after the '@'"
        case .misplacedDot:
            return "email address \(shown) has a dot at the start or end of the local part, or two dots in a row"
        case .quotedLocalPart: return "email address \(shown) uses a quoted local part, which Nurture does not send to"
        case .nonASCII:
            return "email address \(shown) contains non-ASCII characters; internationalised addresses are not supported"
        case .localPartTooLong: return "email address \(shown) has a local part longer than 64 octets (RFC 5321)"
        case .tooLong(let count): return "email address \(shown) is \(count) octets long; the limit is 254"
        case .controlCharacter(let value):
            let hex = String(value, radix: 16, uppercase: true)
            return
                "email address \(shown) contains control character U+"
                + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                + " (CR/LF would inject SMTP commands or headers); remove it"
        case .invalidCharacter(let character):
            return
                "email address \(shown) contains \(String(character).debugDescription),"
                + " which is not allowed in a local part"
        case .invalidDomain(let why): return "email address \(shown) has an invalid domain: \(why)"
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    func trimmingASCIIWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
