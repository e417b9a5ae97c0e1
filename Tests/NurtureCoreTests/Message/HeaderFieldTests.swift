import Testing

@testable import NurtureCore

@Suite("HeaderField")
struct HeaderFieldTests {
    @Test("accepts List-Unsubscribe and writes it unencoded")
    func listUnsubscribe() throws {
        let value = "<https://nurture.example/u/abc123>, <mailto:unsubscribe@nurture.example?subject=abc123>"
        let field = try HeaderField(name: "List-Unsubscribe", value: value)
        let rendered = RawMessage(try field.rendered() + [13, 10])
        #expect(rendered.values("List-Unsubscribe") == [value])
        #expect(rendered.headerLines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test("trims surrounding white space from the value")
    func trims() throws {
        #expect(try HeaderField(name: "X-A", value: " \tx y\t ").value == "x y")
    }

    @Test(
        "rejects invalid names",
        arguments: ["", "X Y", "X:Y", "Ünicode", "X-\r\nBcc", String(repeating: "X", count: 77)])
    func badNames(name: String) {
        #expect(throws: ComposeError.invalidHeaderName(name)) { try HeaderField(name: name, value: "v") }
    }

    @Test(
        "rejects core and recipient headers in any case",
        arguments: [
            "From", "to", "SUBJECT", "Message-ID", "Date", "Reply-To", "MIME-Version", "Content-Type",
            "content-transfer-encoding", "Content-Disposition", "Bcc", "Cc", "Sender", "Return-Path",
        ])
    func reserved(name: String) {
        #expect(throws: ComposeError.reservedHeaderName(name)) { try HeaderField(name: name, value: "v") }
    }

    @Test(
        "rejects CR, LF, NUL and other controls in values (header injection)",
        arguments: ["a\r\nBcc: victim@example.com", "a\nX: y", "a\rb", "a\u{0}b", "a\u{1B}b", "a\u{7F}b"])
    func injection(value: String) {
        #expect(throws: ComposeError.self) { try HeaderField(name: "X-Lead", value: value) }
    }

    @Test("encodes non-ASCII values as encoded-words that decode back")
    func nonASCII() throws {
        let value = "Kampagne für Zoë 🎉 日本語 " + String(repeating: "ü", count: 80)
        let field = try HeaderField(name: "X-Campaign", value: value)
        let message = RawMessage(try field.rendered() + [13, 10])
        let decoded = try #require(decodeEncodedWords(in: message.values("X-Campaign")[0]))
        #expect(decoded.joined() == value)
        #expect(message.headerLines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test("folds long ASCII values at spaces and refuses a word that cannot fit in 998 octets")
    func lineLimits() throws {
        let long = (0..<40).map { "word\($0)" }.joined(separator: " ")
        let field = try HeaderField(name: "X-Words", value: long)
        let message = RawMessage(try field.rendered() + [13, 10])
        #expect(message.values("X-Words") == [long])
        #expect(message.headerLines.count > 1 && message.headerLines.allSatisfy { $0.utf8.count <= 78 })
        let url = "<https://example.com/" + String(repeating: "a", count: 990) + ">"
        #expect(throws: ComposeError.headerLineTooLong(header: "X-Url", octets: 7 + url.utf8.count)) {
            try HeaderField(name: "X-Url", value: url)
        }
    }
}
