package import Foundation
import NurtureCore

/// The start-up and reload check: each key signs a probe message, and the signature is verified with the
/// public key derived from the private key in this process.
extension DKIMSigner {
    /// A short fixed message From the key's domain, composed as real mail is.
    static func probeMessage(domain: String) -> [UInt8] {
        let text =
            "Date: Mon, 30 Nov 2026 12:00:00 +0000\r\nMessage-ID: <dkim-probe@\(domain)>\r\n"
            + "From: probe@\(domain)\r\nTo: probe@\(domain)\r\nSubject: DKIM probe\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "Signed and verified at start-up; never sent.\r\n"
        return Array(text.utf8)
    }

    /// `nil` when `key` signs the probe and its public key verifies the signature; otherwise why not.
    package static func probe(_ key: DKIMKey, at date: Date = Date()) -> String? {
        let draft = DKIMDraft(
            message: probeMessage(domain: key.domain), algorithm: key.algorithm, domain: key.domain,
            selector: key.selector, timestamp: Int(date.timeIntervalSince1970))
        let signature: [UInt8]
        do {
            signature = try key.privateKey.signature(for: draft.digest)
        } catch {
            return "the key could not sign a probe message: \(error)"
        }
        guard key.privateKey.isValid(signature: signature, for: draft.digest) else {
            return "the probe signature does not verify with the key's own public key"
        }
        return nil
    }

    /// Every key's probe problem, as `(key, problem)`; empty when all keys sign and verify.
    package func probeProblems(at date: Date = Date()) -> [(key: DKIMKey, problem: String)] {
        keys.compactMap { key in Self.probe(key, at: date).map { (key, $0) } }
    }
}
