package import NurtureCore

/// One configured signing key: the From domain it signs for, its selector, and the private key.
package struct DKIMKey: Sendable, CustomStringConvertible {
    /// The signing domain (`d=`), lower-case: mail whose From address is in this domain is signed.
    package let domain: String
    /// The selector (`s=`).
    package let selector: String
    /// The private key.
    package let privateKey: DKIMPrivateKey
    /// Where the key came from, for messages: a file path or `credential NAME`.
    package let source: String

    /// Makes a key.
    package init(domain: String, selector: String, privateKey: DKIMPrivateKey, source: String) {
        self.domain = domain.lowercased()
        self.selector = selector
        self.privateKey = privateKey
        self.source = source
    }

    /// The algorithm (`a=`).
    package var algorithm: DKIMAlgorithm { privateKey.algorithm }

    /// The TXT record to publish for this key.
    package var record: DKIMRecord {
        DKIMRecord(
            domain: domain, selector: selector, algorithm: algorithm, publicKeyBase64: privateKey.publicKeyBase64)
    }

    /// `rsa-sha256 key s=SELECTOR d=DOMAIN (SOURCE)`; never the key.
    package var description: String { "\(algorithm) key s=\(selector) d=\(domain) (\(source))" }
}
