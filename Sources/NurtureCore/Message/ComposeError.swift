/// Why a message could not be composed, or a header, Message-ID or date could not be accepted.
///
/// Each case names the field at fault and says what to change; lead-supplied text is shown with
/// its control characters escaped, so the description is safe to log.
package enum ComposeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An extra header's name is empty, longer than 76 octets, or has a character outside RFC 5322 `ftext`.
    case invalidHeaderName(String)
    /// An extra header's name is one the composer writes itself (or one that changes recipients or MIME structure).
    case reservedHeaderName(String)
    /// An extra header's value contains a control character such as CR, LF or NUL.
    case controlCharacterInHeaderValue(header: String, scalar: UInt32)
    /// An extra header's value has a word too long to fit on one 998-octet line.
    case headerLineTooLong(header: String, octets: Int)
    /// A Message-ID text is not `<left@right>` with dot-atom text on both sides.
    case invalidMessageID(String, reason: String)
    /// A subject or display name contains a control character other than CR, LF and TAB.
    case controlCharacter(field: String, scalar: UInt32)
    /// The UTC offset is not a whole number of minutes strictly between -24 and +24 hours.
    case invalidUTCOffset(Int)
    /// The date is not finite or falls outside the years 1900 to 9999.
    case dateOutOfRange(String)

    /// One sentence naming the field and the fix.
    package var description: String {
        switch self {
        case .invalidHeaderName(let name):
            return "extra header name \(name.debugDescription) is invalid: use 1 to 76 printable ASCII characters"
                + " other than ':' and space, e.g. List-Unsubscribe"
        case .reservedHeaderName(let name):
            return "extra header \(name.debugDescription) is written by the composer or would change recipients or"
                + " MIME structure; set the matching OutgoingMessage property instead, or drop the header"
        case .controlCharacterInHeaderValue(let header, let scalar):
            return "value of extra header \(header.debugDescription) contains control character \(Self.hex(scalar))"
                + " (CR/LF would start a new header); remove it"
        case .headerLineTooLong(let header, let octets):
            return "value of extra header \(header.debugDescription) would need a \(octets)-octet line; the limit is"
                + " 998 (RFC 5322), so shorten the longest word or URL"
        case .invalidMessageID(let text, let reason):
            return "Message-ID \(text.debugDescription) is invalid: \(reason); give one like <unique@example.com>"
        case .controlCharacter(let field, let scalar):
            return "\(field) contains control character \(Self.hex(scalar)); remove it from the lead data or template"
        case .invalidUTCOffset(let seconds):
            return "UTC offset of \(seconds) seconds is invalid: give whole minutes between -86340 and +86340 seconds"
        case .dateOutOfRange(let why):
            return "message date is unusable: \(why); pass a date between the years 1900 and 9999"
        }
    }

    private static func hex(_ scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
