/// One header field of a message as it stands in the bytes (folded lines and final CRLF included), and the
/// split of a message into its header fields and body. Pure.
package struct DKIMHeaderField: Sendable, Equatable {
    /// The field name lower-cased, e.g. `list-unsubscribe`.
    package let lowercasedName: String
    /// The field's bytes: `Name: value`, continuation lines, final CRLF.
    package let bytes: [UInt8]

    /// Makes a field from its raw bytes.
    package init(bytes: [UInt8]) {
        let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
        let name = bytes[..<colon].filter { !MessageSyntax.isWSP($0) }
        self.lowercasedName = String(decoding: name, as: UTF8.self).lowercased()
        self.bytes = bytes
    }

    /// The header fields of `message` in order, and the offset where its body starts (after the blank line;
    /// the end of the message when there is none).
    package static func split(_ message: [UInt8]) -> (fields: [DKIMHeaderField], bodyStart: Int) {
        var fields: [DKIMHeaderField] = []
        var start = 0
        var index = 0
        while index + 1 < message.count {
            guard message[index] == 0x0D, message[index + 1] == 0x0A else {
                index += 1
                continue
            }
            let next = index + 2
            if index == start {
                // The blank line: the header ends.
                return (fields, next)
            }
            if next < message.count, MessageSyntax.isWSP(message[next]) {
                index = next  // a continuation line
                continue
            }
            fields.append(DKIMHeaderField(bytes: Array(message[start..<next])))
            start = next
            index = next
        }
        if start < message.count { fields.append(DKIMHeaderField(bytes: Array(message[start...]))) }
        return (fields, message.count)
    }
}
