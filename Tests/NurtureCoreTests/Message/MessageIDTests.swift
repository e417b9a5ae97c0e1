import Testing

@testable import NurtureCore

@Suite("MessageID")
struct MessageIDTests {
    @Test("accepts bracketed and bare forms and prints brackets", arguments: ["<a.b@c.d>", "a.b@c.d"])
    func accepts(text: String) throws {
        #expect(try MessageID(text).description == "<a.b@c.d>")
    }

    @Test(
        "rejects text that is not dot-atom@dot-atom",
        arguments: [
            "", "<>", "<a@b", "a@b>", "ab", "a@b@c", "a..b@c", ".a@b", "a@b.", "a b@c", "a@b\r\nBcc: x@y",
            "a\n@b", "a@[1.2.3.4]", "\"q\"@b", "é@b", "a@b\u{0}",
        ])
    func rejects(text: String) {
        #expect(throws: ComposeError.self) { try MessageID(text) }
    }

    @Test("rejects one longer than 250 octets")
    func tooLong() {
        #expect(throws: ComposeError.self) { try MessageID(String(repeating: "a", count: 240) + "@example.com") }
    }

    @Test("make keeps a UUID and domain as they are")
    func makeUUID() {
        let id = MessageID.make(unique: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F", domain: "mail.example.com")
        #expect(id.description == "<E621E1F8-C36C-495A-93FC-0C247A3E6E5F@mail.example.com>")
    }

    @Test("make sanitises anything into a valid Message-ID that parses back to itself")
    func makeSanitises() throws {
        let samples = [
            ("a b\r\n<c>", "ex ample..com."), ("", ""), ("...", "@@@"), ("日本", "bücher.de"),
            (String(repeating: "x", count: 500), String(repeating: "y.", count: 300)),
        ]
        for (unique, domain) in samples {
            let id = MessageID.make(unique: unique, domain: domain)
            #expect(try MessageID(id.description) == id)
            #expect(!id.description.contains("\r") && !id.description.contains("\n"))
        }
        #expect(MessageID.make(unique: "", domain: "").description == "<nurture@invalid>")
        #expect(MessageID.make(unique: "a b", domain: "x..y").description == "<a-b@x.y>")
    }

    @Test("errors say what to do")
    func errorText() {
        #expect(throws: ComposeError.self) { try MessageID("a@b\nc") }
        do {
            _ = try MessageID("a@b\nc")
        } catch {
            #expect(error.description.contains("line break"))
            #expect(error.description.contains("<unique@example.com>"))
        }
    }
}
