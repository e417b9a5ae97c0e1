package import NurtureCore

/// The DNS TXT record that publishes a DKIM public key (RFC 6376 section 3.6.1).
package struct DKIMRecord: Sendable, Equatable {
    /// The signing domain.
    package let domain: String
    /// The selector.
    package let selector: String
    /// The algorithm, which gives `k=`.
    package let algorithm: DKIMAlgorithm
    /// The public key in base64 (`p=`).
    package let publicKeyBase64: String

    /// The longest character-string a TXT record may hold (RFC 1035 section 3.3).
    package static let maximumStringLength = 255

    /// `SELECTOR._domainkey.DOMAIN`, the name to publish the record under.
    package var name: String { "\(selector)._domainkey.\(domain)" }

    /// The record's text as a verifier reads it: `v=DKIM1; k=rsa; p=...`.
    package var text: String { "v=DKIM1; k=\(algorithm.keyType); p=\(publicKeyBase64)" }

    /// ``text`` cut into quoted strings of at most 255 bytes, as a zone file writes a long TXT record.
    package var quotedStrings: [String] {
        var strings: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            strings.append("\"" + rest.prefix(Self.maximumStringLength) + "\"")
            rest = rest.dropFirst(Self.maximumStringLength)
        }
        return strings
    }

    /// One zone-file line: `SELECTOR._domainkey.DOMAIN. IN TXT ( "..." "..." )`.
    package var zoneLine: String {
        let strings = quotedStrings
        if strings.count == 1 { return "\(name). IN TXT \(strings[0])" }
        return "\(name). IN TXT ( " + strings.joined(separator: " ") + " )"
    }
}
