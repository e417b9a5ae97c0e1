package import Crypto
import Foundation
package import NurtureCore
import _CryptoExtras

/// A DKIM private key: RSA (PKCS#1 v1.5, at least 2048 bits) or Ed25519. The only place that signs.
/// Its descriptions never show the key.
package struct DKIMPrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private enum Material: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    private let material: Material

    /// The algorithm this key signs with.
    package var algorithm: DKIMAlgorithm {
        switch material {
        case .rsa: return .rsaSHA256
        case .ed25519: return .ed25519SHA256
        }
    }

    /// The key size in bits (256 for Ed25519).
    package var bits: Int {
        switch material {
        case .rsa(let key): return key.keySizeInBits
        case .ed25519: return 256
        }
    }

    /// Loads a key of `algorithm` from a key file's text: RSA as PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8
    /// `PRIVATE KEY`); Ed25519 as a PKCS#8 PEM `PRIVATE KEY` or the 32-byte seed in base64.
    /// - Throws: ``DKIMKeyError`` saying what the text is instead.
    package init(text: String, algorithm: DKIMAlgorithm) throws(DKIMKeyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains("ENCRYPTED") { throw .encrypted }
        if trimmed.contains("PUBLIC KEY-----") { throw .publicKey }
        switch algorithm {
        case .rsaSHA256:
            if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: trimmed) {
                material = .rsa(key)
                return
            }
            if let short = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: trimmed) {
                throw .tooShort(bits: short.keySizeInBits)
            }
            if Self.ed25519Seed(trimmed) != nil {
                throw .wrongAlgorithm(configured: algorithm.rawValue, found: DKIMAlgorithm.ed25519SHA256.rawValue)
            }
            throw .notAKey(algorithm.rawValue)
        case .ed25519SHA256:
            if let seed = Self.ed25519Seed(trimmed),
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            {
                material = .ed25519(key)
                return
            }
            if (try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: trimmed)) != nil {
                throw .wrongAlgorithm(configured: algorithm.rawValue, found: DKIMAlgorithm.rsaSHA256.rawValue)
            }
            throw .notAKey(algorithm.rawValue)
        }
    }

    /// A new random key (2048-bit RSA or Ed25519), for benchmarks and tests; production keys come from files.
    /// - Throws: the library's error when no key can be made.
    package static func generate(_ algorithm: DKIMAlgorithm) throws -> DKIMPrivateKey {
        switch algorithm {
        case .rsaSHA256: return DKIMPrivateKey(material: .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        case .ed25519SHA256: return DKIMPrivateKey(material: .ed25519(Curve25519.Signing.PrivateKey()))
        }
    }

    private init(material: Material) {
        self.material = material
    }

    /// The DER prefix of an Ed25519 PKCS#8 private key (RFC 8410): the 32-byte seed follows it.
    private static let ed25519PKCS8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    /// The 32-byte seed of an Ed25519 key written as PKCS#8 PEM or as base64; `nil` for anything else.
    private static func ed25519Seed(_ text: String) -> [UInt8]? {
        if text.hasPrefix("-----BEGIN PRIVATE KEY-----") {
            let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
            guard let der = Data(base64Encoded: body).map(Array.init), der.count == 48,
                der.starts(with: ed25519PKCS8Prefix)
            else { return nil }
            return Array(der.suffix(32))
        }
        guard let raw = Data(base64Encoded: text), raw.count == 32 else { return nil }
        return Array(raw)
    }

    /// The public key as the DNS record's `p=` carries it: base64 of the SubjectPublicKeyInfo DER (RSA) or of
    /// the raw 32 bytes (Ed25519, RFC 8463 section 4.2).
    package var publicKeyBase64: String {
        switch material {
        case .rsa(let key): return key.publicKey.derRepresentation.base64EncodedString()
        case .ed25519(let key): return key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    /// Signs a DKIM digest: RSA PKCS#1 v1.5 over the SHA-256 digest, or Ed25519 over the digest's 32 bytes.
    /// - Throws: the library's error when the signature cannot be made.
    package func signature(for digest: SHA256Digest) throws -> [UInt8] {
        switch material {
        case .rsa(let key):
            return Array(try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation)
        case .ed25519(let key):
            return Array(try key.signature(for: Array(digest)))
        }
    }

    /// Whether `signature` over `digest` verifies with this key's public key (the start-up probe).
    package func isValid(signature: [UInt8], for digest: SHA256Digest) -> Bool {
        switch material {
        case .rsa(let key):
            return key.publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: .insecurePKCS1v1_5)
        case .ed25519(let key):
            return key.publicKey.isValidSignature(signature, for: Array(digest))
        }
    }

    /// `<DKIM private key: rsa-sha256, 2048 bits>`; never the key.
    package var description: String { "<DKIM private key: \(algorithm), \(bits) bits>" }
    /// The same as ``description``.
    package var debugDescription: String { description }
}
