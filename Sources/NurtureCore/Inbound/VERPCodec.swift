import Crypto

/// Makes and reads VERP envelope senders: `<localPart>+<token>@<domain>`, the token naming one send and signed
/// with an HMAC so a forged or mangled address names nothing.
///
/// The token is `<send id in decimal>-<first 10 bytes of HMAC-SHA256("verp:<id>") in lower-case hex>`, e.g.
/// `bounces+42-3f9c0d1e2a4b5c6d7e8f@bounces.example.com`. It uses digits, `-` and lower-case letters only, so a
/// relay or mailbox that lowercases local parts still hands back an address that reads. Reading is
/// case-insensitive and strict: anything but exactly that shape, under the configured local part and domain,
/// names no send; the signature is compared in constant time.
package struct VERPCodec: Sendable, Hashable {
    package var localPart: String
    package var domain: String
    private var secret: [UInt8]

    /// Bytes of the HMAC kept in the token (80 bits: guessing one is out of reach over SMTP).
    package static let signatureBytes = 10
    /// The longest token: 19 digits (`Int64.max`), `-`, the signature in hex.
    package static let maximumTokenLength = 19 + 1 + signatureBytes * 2
    /// The longest local part that leaves room for `+` and the longest token within RFC 5321's 64 octets.
    package static let maximumLocalPartLength = 64 - 1 - maximumTokenLength

    package init(localPart: String, domain: String, secret: [UInt8]) {
        self.localPart = localPart
        self.domain = domain
        self.secret = secret
    }

    /// The envelope sender for send `id`; `nil` when `id` is not positive or the configured parts do not make a
    /// valid address (the configuration check rejects such parts before this is used).
    package func address(forSend id: Int64) -> EmailAddress? {
        guard id > 0 else { return nil }
        return try? EmailAddress("\(localPart.lowercased())+\(token(forSend: id))@\(domain.lowercased())")
    }

    /// The token for send `id` (without local part and domain).
    package func token(forSend id: Int64) -> String {
        "\(id)-" + UnsubscribeLink.hex(signature(forSend: id))
    }

    /// The send named by `address` (any case), when it is one of ours and its signature holds.
    package func sendID(in address: String) -> Int64? {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@"), lowered[lowered.index(after: at)...] == domain.lowercased()
        else { return nil }
        let local = lowered[..<at]
        let prefix = localPart.lowercased() + "+"
        guard local.hasPrefix(prefix) else { return nil }
        let token = local.dropFirst(prefix.count)
        let parts = token.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let idText = parts.first, let hexText = parts.last,
            (1...19).contains(idText.count), idText.first != "0", idText.allSatisfy(Self.isDigit),
            hexText.count == Self.signatureBytes * 2, let id = Int64(idText),
            let given = Self.bytes(fromHex: hexText)
        else { return nil }
        return Self.constantTimeEqual(given, signature(forSend: id)) ? id : nil
    }

    /// The built-in key used when no secret is configured: anyone can forge tokens under it (demos only).
    package static let demoKey = Array("nurture-demo-verp-key-NOT-FOR-PRODUCTION".utf8)

    /// A VERP key derived from another secret (the unsubscribe secret) under its own label, so one configured
    /// secret can key both without a token of one ever being valid as the other.
    package static func derivedKey(from secret: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("nurture verp key".utf8), using: SymmetricKey(data: secret)))
    }

    private func signature(forSend id: Int64) -> [UInt8] {
        let message = Array("verp:\(id)".utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return Array(Array(code).prefix(Self.signatureBytes))
    }

    private static func isDigit(_ character: Character) -> Bool { ("0"..."9").contains(character) }

    /// Lower-case hex digits to bytes; `nil` for anything else (upper case was lowered by the caller).
    private static func bytes(fromHex text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var high: UInt8?
        for scalar in text.unicodeScalars {
            let nibble: UInt8
            switch scalar {
            case "0"..."9": nibble = UInt8(scalar.value) - 0x30
            case "a"..."f": nibble = UInt8(scalar.value) - 0x61 + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }

    /// Compares two byte strings in time that depends on their length only.
    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
