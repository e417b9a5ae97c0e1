package import Foundation
package import NurtureCore
package import NurtureDKIM

/// DKIM signing as configured (`dkim:` and each salesperson's `dkim: false`): the keys by From domain and the
/// salespeople whose mail is left unsigned because their own relay signs it.
package struct DKIMSettings: Sendable {
    /// The keys; no key signs nothing.
    package var signer: DKIMSigner
    /// Ids of salespeople whose sales mail is not signed by Nurture.
    package var unsignedSalespeople: Set<String>

    /// Makes the settings; the default signs nothing.
    package init(signer: DKIMSigner = DKIMSigner(), unsignedSalespeople: Set<String> = []) {
        self.signer = signer
        self.unsignedSalespeople = unsignedSalespeople
    }

    /// The bytes to hand to the relay: `message` with one `DKIM-Signature` field per key of `from`'s domain in
    /// front, or unchanged when that domain has no key or the mail goes out under the name of a salesperson
    /// (`salesperson`, `nil` for marketing mail) who is left unsigned.
    /// - Throws: ``DKIMSigner/Failure`` when a key cannot sign.
    package func sign(
        _ message: [UInt8], from: EmailAddress, salesperson: String?, at date: Date
    ) throws(DKIMSigner.Failure) -> [UInt8] {
        if let salesperson, unsignedSalespeople.contains(salesperson) { return message }
        return try signer.sign(message, domain: from.domain, at: date)
    }
}
