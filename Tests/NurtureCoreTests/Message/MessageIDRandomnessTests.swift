import NurtureCore
import Testing

/// A generator that returns the same word forever (a broken entropy source, or Foundation's zero fallback).
private struct ConstantGenerator: RandomNumberGenerator {
    var word: UInt64
    mutating func next() -> UInt64 { word }
}

@Suite struct MessageIDRandomnessTests {
    @Test(
        "a generator returning zeros (or any constant) is refused with an error naming the cause",
        arguments: [UInt64(0), .max, 0x0101_0101_0101_0101, 0x1234_5678_9ABC_DEF0])
    func degenerateIsRefused(word: UInt64) {
        var generator = ConstantGenerator(word: word)
        let error = #expect(throws: DegenerateRandomness.self) { try MessageIDRandomness.unique(using: &generator) }
        #expect(error?.description.contains("random number generator returned a degenerate value") == true)
        #expect(error?.description.contains("Message-ID") == true)
    }

    @Test("the system generator gives 128 fresh bits each time: 32 hex digits, never zero, no repeats in 10,000")
    func systemGenerator() throws {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let unique = try MessageIDRandomness.unique()
            #expect(unique.count == 32)
            #expect(unique.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(unique != String(repeating: "0", count: 32))
            seen.insert(unique)
        }
        #expect(seen.count == 10_000)
    }

    @Test("the draw uses the generator it is given, byte for byte")
    func usesGivenGenerator() throws {
        var generator = SequenceGenerator(words: [0x0102_0304_0506_0708, 0x1112_1314_1516_1718])
        #expect(try MessageIDRandomness.unique(using: &generator) == "08070605040302011817161514131211")
    }
}

/// Returns `words` in turn.
private struct SequenceGenerator: RandomNumberGenerator {
    var words: [UInt64]
    var index = 0
    mutating func next() -> UInt64 {
        defer { index += 1 }
        return words[index % words.count]
    }
}
