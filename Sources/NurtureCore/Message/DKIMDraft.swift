package import Crypto

/// One signature prepared for a message: its `DKIM-Signature` field without `b=`, and the SHA-256 digest the
/// key signs (RFC 6376 section 3.7; for Ed25519 the digest itself is what is signed, RFC 8463 section 3).
/// Pure: the caller gives the time; the private key is applied elsewhere.
package struct DKIMDraft: Sendable, Equatable {
    /// The field's tags.
    package let header: DKIMSignatureHeader
    /// The relaxed header fields in `h=` order followed by the relaxed, unterminated `DKIM-Signature` field.
    package let signingInput: [UInt8]
    /// SHA-256 of ``signingInput``.
    package let digest: SHA256Digest

    /// Prepares a relaxed/relaxed signature of `message` (the exact bytes that will be sent after the
    /// signature fields) for `domain` and `selector`, dated `timestamp` (seconds since 1970).
    package init(message: [UInt8], algorithm: DKIMAlgorithm, domain: String, selector: String, timestamp: Int) {
        let (fields, bodyStart) = DKIMHeaderField.split(message)
        let body = DKIMCanonicalization.relaxedBody(message[bodyStart...])
        let names = DKIMHeaderSelection.names(present: fields.map(\.lowercasedName))
        let header = DKIMSignatureHeader(
            algorithm: algorithm, domain: domain.lowercased(), selector: selector, timestamp: timestamp,
            signedHeaders: names, bodyHash: Base64.encode(Array(SHA256.hash(data: body))))
        var input: [UInt8] = []
        for field in DKIMHeaderSelection.select(names, from: fields) {
            input += DKIMCanonicalization.relaxedHeader(field.bytes)
        }
        input += DKIMCanonicalization.relaxedHeader(header.unsigned).dropLast(2)
        self.header = header
        self.signingInput = input
        self.digest = SHA256.hash(data: input)
    }

    /// The complete `DKIM-Signature` field (CRLF-terminated) carrying `signature`, to put before the message.
    package func field(signature: some Collection<UInt8>) -> [UInt8] {
        header.signed(signature: Base64.encode(signature))
    }
}
