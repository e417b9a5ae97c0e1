/// Why a DKIM private key cannot be used. The text names the problem and what to do; it never quotes the key.
package enum DKIMKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is no private key of the configured algorithm.
    case notAKey(DKIMAlgorithmName)
    /// An RSA key shorter than 2048 bits.
    case tooShort(bits: Int)
    /// A key of the other algorithm.
    case wrongAlgorithm(configured: DKIMAlgorithmName, found: DKIMAlgorithmName)
    /// A passphrase-protected PEM key.
    case encrypted
    /// A public key where the private key belongs.
    case publicKey

    /// The algorithm's `a=` name, kept as text so the error stays plain data.
    package typealias DKIMAlgorithmName = String

    /// One clause saying what is wrong and what to do.
    package var description: String {
        switch self {
        case .notAKey("rsa-sha256"):
            return "it is not an RSA private key in PEM form; make one with"
                + " `openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048`"
        case .notAKey:
            return "it is not an Ed25519 private key (a PEM `PRIVATE KEY` or the 32-byte seed in base64); make one"
                + " with `openssl genpkey -algorithm ed25519`"
        case .tooShort(let bits):
            return "the RSA key has \(bits) bits; DKIM keys must have at least 2048 (RFC 8301): make a new 2048-bit"
                + " key and publish its record"
        case .wrongAlgorithm(let configured, let found):
            return "it holds a \(found) key but the configuration says \(configured); fix `algorithm:` or the file"
        case .encrypted:
            return "the key is protected by a passphrase, which Nurture cannot type; store it unencrypted"
                + " (`openssl pkey -in KEY -out PLAIN`) in a file only the nurture user can read"
        case .publicKey:
            return "it is a public key; give the private key (the public one goes in DNS)"
        }
    }
}
