import Crypto

/// How an address is known once it must not be kept in clear: the key of its suppression-list entry and the
/// pseudonym an erased lead leaves in the ledger.
///
/// With a secret (`privacy.pseudonym_secret_*`), both come from HMAC-SHA256 of the lowercased address under
/// that secret, so someone holding the database, a backup or an exported send log cannot test a list of
/// candidate addresses against them. Without one, the unkeyed SHA-256 earlier versions wrote is used (and
/// `nurture check` warns). Lookups accept both forms, so suppressions written before a secret was set stay
/// effective. Pure.
package struct AddressKeying: Sendable {
    private let key: [UInt8]?

    /// - Parameter secret: the pseudonym secret's bytes, or `nil` for the unkeyed legacy form.
    package init(secret: [UInt8]?) {
        self.key = secret.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `true` when a secret keys the hashes.
    package var isKeyed: Bool { key != nil }

    /// The suppression-list key of `email`: the keyed hash to write, and every form that means this address.
    package func suppressionKey(for email: EmailAddress) -> SuppressionKey {
        let legacy = Suppression.unkeyedHash(of: email)
        guard let key else { return SuppressionKey(written: legacy, accepted: [legacy]) }
        let keyed = Suppression.hex(Self.authenticationCode(for: Self.normalized(email), key: key))
        return SuppressionKey(written: keyed, accepted: [keyed, legacy])
    }

    /// The placeholder that stands for an erased lead:
    /// `erased-<first 24 hex digits of its suppression key>@erased.invalid` (the `.invalid` top-level domain
    /// can never receive mail).
    package func pseudonym(for email: EmailAddress) -> EmailAddress {
        let hash = suppressionKey(for: email).written
        // Both parts are fixed ASCII, so the address is always valid.
        return (try? EmailAddress("erased-\(hash.prefix(24))@erased.invalid")) ?? email
    }

    static func normalized(_ email: EmailAddress) -> [UInt8] { Array(email.description.lowercased().utf8) }

    /// The 32-byte HMAC-SHA256 (RFC 2104) of `message` under `key`, by swift-crypto. A key longer than the
    /// 64-byte block is hashed first, as RFC 2104 says, so every stored key and token keeps its value.
    static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// The 32-byte SHA-256 (FIPS 180-4) of the normalized address: the unkeyed legacy suppression key's bytes.
    static func unkeyedDigest(of email: EmailAddress) -> [UInt8] {
        Array(SHA256.hash(data: normalized(email)))
    }
}

/// The hashes under which one address may stand on the suppression list.
package struct SuppressionKey: Sendable, Hashable {
    /// The hash a new suppression is written under (keyed when a secret is configured).
    package var written: String
    /// Every hash that means this address: ``written`` and, when keyed, the unkeyed SHA-256 older entries have.
    package var accepted: [String]

    /// Makes a key.
    package init(written: String, accepted: [String]) {
        self.written = written
        self.accepted = accepted
    }
}
