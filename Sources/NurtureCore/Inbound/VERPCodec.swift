/// Makes and reads VERP envelope senders: `<localPart>+<token>@<domain>`, the token naming one send and signed
/// with an HMAC so a forged or mangled address names nothing.
package struct VERPCodec: Sendable, Hashable {
    package var localPart: String
    package var domain: String
    private var secret: [UInt8]

    package init(localPart: String, domain: String, secret: [UInt8]) {
        self.localPart = localPart
        self.domain = domain
        self.secret = secret
    }

    /// The envelope sender for send `id`.
    package func address(forSend id: Int64) -> EmailAddress? {
        nil  // Contract placeholder (issue 14): the VERP part builds the token.
    }

    /// The send named by `address` (any case), when it is one of ours and its signature holds.
    package func sendID(in address: String) -> Int64? {
        nil  // Contract placeholder (issue 14).
    }
}
