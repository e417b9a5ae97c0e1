/// The random, never-repeating part of a Message-ID, drawn when a send is planned.
///
/// Foundation's `UUID()` on Linux reads `/dev/urandom` and, when no file descriptor is left to open it,
/// silently returns an all-zero UUID: every Message-ID planned then was the same. This draws 128 bits from a
/// `RandomNumberGenerator` instead — in the daemon `SystemRandomNumberGenerator`, which on Linux calls
/// `getrandom(2)` and needs no file descriptor — and refuses a degenerate draw (all 16 bytes alike, or both
/// halves equal: odds of 2⁻⁶⁴ for a working generator) with an error naming the cause, so a broken entropy
/// source fails the planning loudly instead of producing IDs that repeat. Pure given the generator.
package enum MessageIDRandomness {
    /// 32 lowercase hex digits from `generator`.
    /// - Throws: ``DegenerateRandomness`` when the draw is degenerate.
    package static func unique(using generator: inout some RandomNumberGenerator) throws(DegenerateRandomness)
        -> String
    {
        let (high, low) = (generator.next() as UInt64, generator.next() as UInt64)
        let bytes = [high, low].flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        guard high != low, Set(bytes).count > 1 else { throw DegenerateRandomness(sample: bytes) }
        return bytes.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// 32 lowercase hex digits from the system's generator (`getrandom(2)` on Linux).
    package static func unique() throws(DegenerateRandomness) -> String {
        var generator = SystemRandomNumberGenerator()
        return try unique(using: &generator)
    }
}

/// The random number generator returned a value no working generator returns in practice.
package struct DegenerateRandomness: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes drawn.
    package var sample: [UInt8]

    /// Makes the error.
    package init(sample: [UInt8]) { self.sample = sample }

    package var description: String {
        let shown = sample.first.map { "0x" + String($0, radix: 16) } ?? "?"
        let what = Set(sample).count == 1 ? "all 16 bytes are \(shown)" : "its two halves are equal"
        return "the system random number generator returned a degenerate value (\(what)), so no unique Message-ID"
            + " can be made; nothing is planned until it works again — check the host's entropy source"
            + " (getrandom) and the daemon's file-descriptor limit"
    }
}
