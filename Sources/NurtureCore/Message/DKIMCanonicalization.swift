/// The `relaxed` canonicalizations of RFC 6376 section 3.4.2 (headers) and 3.4.4 (body). Pure byte functions.
package enum DKIMCanonicalization {
    /// One header field, relaxed: the name lower-cased, the value unfolded, every run of white space made one
    /// space, white space at the end of the value and around the colon removed, then CRLF.
    /// - Parameter field: the field as it stands in the message (folded lines, with or without its final CRLF).
    package static func relaxedHeader(_ field: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(field)
        let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes[..<colon] where !MessageSyntax.isWSP(byte) && byte != 0x0D && byte != 0x0A {
            out.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
        }
        out.append(UInt8(ascii: ":"))
        var value: [UInt8] = []
        var pendingSpace = false
        for byte in bytes[min(colon + 1, bytes.count)...] {
            if byte == 0x0D || byte == 0x0A { continue }
            if MessageSyntax.isWSP(byte) {
                pendingSpace = true
                continue
            }
            if pendingSpace && !value.isEmpty { value.append(0x20) }
            pendingSpace = false
            value.append(byte)
        }
        return out + value + MessageSyntax.crlf
    }

    /// The body, relaxed: white space at line ends removed, other runs of white space made one space, empty
    /// lines at the end removed, and a final CRLF unless the body is then empty.
    /// - Parameter body: everything after the blank line that ends the header, CRLF line endings.
    package static func relaxedBody(_ body: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var line: [UInt8] = []
        var pendingSpace = false
        var emptyLines = 0
        var iterator = body.makeIterator()
        var previous: UInt8?
        func endLine() {
            if line.isEmpty {
                emptyLines += 1
            } else {
                for _ in 0..<emptyLines { out += MessageSyntax.crlf }
                emptyLines = 0
                out += line + MessageSyntax.crlf
            }
            line.removeAll(keepingCapacity: true)
            pendingSpace = false
        }
        while let byte = iterator.next() {
            defer { previous = byte }
            if byte == 0x0A && previous == 0x0D {
                endLine()
                continue
            }
            if previous == 0x0D {
                // A CR not followed by LF is ordinary text (the composer never writes one).
                if pendingSpace { line.append(0x20) }
                pendingSpace = false
                line.append(0x0D)
            }
            if byte == 0x0D { continue }
            if MessageSyntax.isWSP(byte) {
                pendingSpace = true
                continue
            }
            if pendingSpace { line.append(0x20) }
            pendingSpace = false
            line.append(byte)
        }
        if previous == 0x0D { line.append(0x0D) }
        if !line.isEmpty { endLine() }
        return out
    }
}
