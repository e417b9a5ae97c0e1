import Crypto

/// Builds the one-click unsubscribe link and the `List-Unsubscribe` header values (RFC 2369, RFC 8058).
package enum UnsubscribeLink {
    /// `<base>/<token as lower-case hex>`, with exactly one `/` between them. Pure: the token (e.g. an
    /// HMAC-SHA256 of the lead's address, see ``token(for:secret:)``) is computed by the caller.
    package static func url(baseURL: String, token: [UInt8]) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/" + hex(token)
    }

    /// The token for a lead: HMAC-SHA256 of the lower-cased address under `secret`.
    package static func token(for address: EmailAddress, secret: [UInt8]) -> [UInt8] {
        let message = Array(address.description.lowercased().utf8)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }

    /// The `List-Unsubscribe` value: `<https://...>, <mailto:...?subject=unsubscribe>`.
    package static func listUnsubscribe(url: String, mailbox: EmailAddress) -> String {
        "<\(url)>, <mailto:\(mailbox)?subject=unsubscribe>"
    }

    /// The `List-Unsubscribe-Post` value that marks the URL as one-click (RFC 8058).
    package static let listUnsubscribePost = "List-Unsubscribe=One-Click"

    /// Lower-case hexadecimal.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
