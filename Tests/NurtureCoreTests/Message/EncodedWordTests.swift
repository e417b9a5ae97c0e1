import Testing

@testable import NurtureCore

@Suite("RFC 2047 encoded-words")
struct EncodedWordTests {
    static let samples: [String] = [
        "Grüße aus München",
        "日本語のとても長い件名です。日本語のとても長い件名です。日本語のとても長い件名です。",
        "👩‍👩‍👧‍👦 family 🇫🇷🇩🇪 flags 👍🏽 and 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉",
        "e\u{301}e\u{301}e\u{301} combining " + String(repeating: "a\u{308}\u{301}", count: 40),
        "Z" + String(repeating: "\u{336}", count: 60) + "algo",
        String(repeating: "x", count: 2_000),
        String(repeating: "ß", count: 2_000),
        "=?UTF-8?B?not-an-ew?= _ ? = tabs\tand  spaces ",
        "",
    ]

    @Test("words are at most 75 characters and decode back to the text", arguments: samples)
    func roundTrip(text: String) throws {
        let words = EncodedWord.encode(text)
        #expect(words.allSatisfy { $0.utf8.count <= EncodedWord.maximumLength && $0.utf8.count <= 75 })
        let pieces = try #require(decodeEncodedWords(in: words.joined(separator: " ")))
        #expect(pieces.joined() == text)
    }

    @Test("never splits a grapheme cluster when it fits in one word", arguments: samples.dropLast(5))
    func graphemes(text: String) throws {
        let pieces = try #require(decodeEncodedWords(in: EncodedWord.encode(text).joined(separator: " ")))
        // A grapheme split across two words would come back as more characters than the text has.
        #expect(pieces.map(\.count).reduce(0, +) == text.count)
    }

    @Test("splits an oversized grapheme only between scalars, keeping UTF-8 whole")
    func oversizedGrapheme() throws {
        let text = "a" + String(repeating: "\u{0301}", count: 100)
        #expect(text.count == 1)
        let words = EncodedWord.encode(text)
        #expect(words.count > 1)
        let pieces = try #require(decodeEncodedWords(in: words.joined(separator: " ")))
        #expect(pieces.joined() == text)
    }

    @Test("prefers Q for mostly-ASCII text and B for CJK")
    func choosesEncoding() {
        #expect(EncodedWord.encode("Café au lait").allSatisfy { $0.hasPrefix("=?UTF-8?Q?") })
        #expect(EncodedWord.encode("日本語の件名").allSatisfy { $0.hasPrefix("=?UTF-8?B?") })
    }

    @Test("respects a smaller budget for the first word")
    func firstBudget() {
        let words = EncodedWord.encode(String(repeating: "é", count: 100), firstMaximumLength: 30)
        #expect(words[0].utf8.count <= 30)
        #expect(words.dropFirst().allSatisfy { $0.utf8.count <= EncodedWord.maximumLength })
    }
}
