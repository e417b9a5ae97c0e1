/// The `DKIM-Signature` field of one signature (RFC 6376 section 3.5): `v=1`, `a=`, `c=relaxed/relaxed`, `d=`,
/// `s=`, `t=`, `h=`, `bh=` and `b=`, never `l=`. Folded so no line passes 78 octets. Pure.
package struct DKIMSignatureHeader: Sendable, Equatable {
    /// The algorithm (`a=`).
    package var algorithm: DKIMAlgorithm
    /// The signing domain (`d=`), lower-case.
    package var domain: String
    /// The selector (`s=`): the key is published at `<selector>._domainkey.<domain>`.
    package var selector: String
    /// The signing time (`t=`), seconds since 1970.
    package var timestamp: Int
    /// The signed header field names (`h=`), lower-case, over-signed names repeated.
    package var signedHeaders: [String]
    /// The base64 SHA-256 of the relaxed body (`bh=`).
    package var bodyHash: String

    /// Makes the field's tags.
    package init(
        algorithm: DKIMAlgorithm, domain: String, selector: String, timestamp: Int, signedHeaders: [String],
        bodyHash: String
    ) {
        self.algorithm = algorithm
        self.domain = domain
        self.selector = selector
        self.timestamp = timestamp
        self.signedHeaders = signedHeaders
        self.bodyHash = bodyHash
    }

    /// The field with an empty `b=` and no final CRLF: what is hashed (after relaxed canonicalization) last.
    package var unsigned: [UInt8] { Array(Self.fold(pieces(signature: "")).utf8) }

    /// The complete field with `signature` (base64) as `b=`, folded, ending in CRLF. Everything before `b=` is
    /// byte for byte ``unsigned``, so a verifier that empties `b=` hashes what was signed.
    package func signed(signature: String) -> [UInt8] {
        Array(Self.fold(pieces(signature: signature)).utf8) + MessageSyntax.crlf
    }

    /// A piece of the field and what joins it to the previous piece when both stay on one line; a fold always
    /// puts CRLF and one space before the piece instead (folding white space the tag syntax allows there).
    private struct Piece {
        var join: String
        var text: String
    }

    private func pieces(signature: String) -> [Piece] {
        var pieces = [
            Piece(join: "", text: "v=1;"), Piece(join: " ", text: "a=\(algorithm.rawValue);"),
            Piece(join: " ", text: "c=relaxed/relaxed;"), Piece(join: " ", text: "d=\(domain);"),
            Piece(join: " ", text: "s=\(selector);"), Piece(join: " ", text: "t=\(timestamp);"),
        ]
        for (index, name) in signedHeaders.enumerated() {
            let last = index == signedHeaders.count - 1
            pieces.append(
                Piece(join: index == 0 ? " " : "", text: (index == 0 ? "h=" : "") + name + (last ? ";" : ":")))
        }
        pieces.append(Piece(join: " ", text: "bh=\(bodyHash);"))
        pieces.append(Piece(join: " ", text: "b="))
        var rest = Substring(signature)
        while !rest.isEmpty {
            pieces.append(Piece(join: "", text: String(rest.prefix(Self.signatureChunk))))
            rest = rest.dropFirst(Self.signatureChunk)
        }
        return pieces
    }

    /// The longest run of signature characters kept together (a fold may come between two runs).
    private static let signatureChunk = 72

    private static func fold(_ pieces: [Piece]) -> String {
        var out = ""
        var line = "DKIM-Signature:"
        for (index, piece) in pieces.enumerated() {
            let join = index == 0 ? " " : piece.join
            if line.utf8.count + join.utf8.count + piece.text.utf8.count <= MessageSyntax.targetLineLength {
                line += join + piece.text
            } else {
                out += line + "\r\n"
                line = " " + piece.text
            }
        }
        return out + line
    }
}
