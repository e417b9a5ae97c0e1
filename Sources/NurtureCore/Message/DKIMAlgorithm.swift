/// A DKIM signing algorithm (RFC 6376 section 3.3, RFC 8463): the `a=` tag and the DNS record's `k=` tag.
package enum DKIMAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// RSA with SHA-256 and PKCS#1 v1.5 padding; keys of at least 2048 bits.
    case rsaSHA256 = "rsa-sha256"
    /// Ed25519 over the SHA-256 digest of the signed data (RFC 8463).
    case ed25519SHA256 = "ed25519-sha256"

    /// The key type as the DNS record names it (`k=`).
    package var keyType: String {
        switch self {
        case .rsaSHA256: return "rsa"
        case .ed25519SHA256: return "ed25519"
        }
    }

    /// The `a=` value, e.g. `rsa-sha256`.
    package var description: String { rawValue }
}
