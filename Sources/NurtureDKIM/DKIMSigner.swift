package import Foundation
import NurtureCore

/// Signs outgoing messages with every key configured for their From domain (one `DKIM-Signature` field per
/// key, RSA first), and checks each key with a signed probe.
package struct DKIMSigner: Sendable {
    /// Every key, in configuration order.
    package let keys: [DKIMKey]

    /// Makes a signer; no keys signs nothing.
    package init(keys: [DKIMKey] = []) {
        self.keys = keys
    }

    /// Why a message could not be signed: the library refused to sign (names the key, never shows it).
    package struct Failure: Error, Sendable, CustomStringConvertible {
        /// The key that failed.
        package let key: String
        /// The library's reason.
        package let reason: String

        /// One sentence for the log.
        package var description: String { "DKIM signing with the \(key) failed: \(reason)" }
    }

    /// The keys that sign mail From `domain` (compared without case), RSA before Ed25519.
    package func keys(forDomain domain: String) -> [DKIMKey] {
        let lowered = domain.lowercased()
        let matching = keys.filter { $0.domain == lowered }
        return matching.filter { $0.algorithm == .rsaSHA256 } + matching.filter { $0.algorithm != .rsaSHA256 }
    }

    /// `message` with a `DKIM-Signature` field in front for each key of `domain`, signed at `date`; the message
    /// unchanged when the domain has no key. The signatures cover exactly the bytes of `message`.
    /// - Throws: ``Failure`` when a key cannot sign.
    package func sign(_ message: [UInt8], domain: String, at date: Date) throws(Failure) -> [UInt8] {
        let keys = keys(forDomain: domain)
        if keys.isEmpty { return message }
        var fields: [UInt8] = []
        for key in keys { fields += try Self.field(message, key: key, timestamp: Int(date.timeIntervalSince1970)) }
        return fields + message
    }

    /// One key's `DKIM-Signature` field for `message`.
    package static func field(_ message: [UInt8], key: DKIMKey, timestamp: Int) throws(Failure) -> [UInt8] {
        let draft = DKIMDraft(
            message: message, algorithm: key.algorithm, domain: key.domain, selector: key.selector,
            timestamp: timestamp)
        do {
            return draft.field(signature: try key.privateKey.signature(for: draft.digest))
        } catch {
            throw Failure(key: key.description, reason: "\(error)")
        }
    }
}
