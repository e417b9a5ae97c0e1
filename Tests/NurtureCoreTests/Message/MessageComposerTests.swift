import Testing

@testable import NurtureCore

@Suite("MessageComposer")
struct MessageComposerTests {
    private let unsubscribe = try! HeaderField(
        name: "List-Unsubscribe", value: "<https://nurture.example/u/t0k3n>, <mailto:u@nurture.example?subject=t0k3n>")
    private let oneClick = try! HeaderField(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")

    @Test("text-only message: header order, values and body")
    func textOnly() throws {
        let message = try Fixture.compose(
            Fixture.message(
                extraHeaders: [unsubscribe, oneClick],
                replyTo: Mailbox(displayName: "Support", address: Fixture.address("support@nurture.example"))))
        #expect(message.hasOnlyCRLF)
        #expect(
            message.names == [
                "Date", "Message-ID", "From", "Reply-To", "To", "Subject", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding", "List-Unsubscribe", "List-Unsubscribe-Post",
            ])
        #expect(message.values("Date") == ["Mon, 23 Nov 2026 09:00:00 +0000"])
        #expect(message.values("Message-ID") == ["<abc-123@nurture.example>"])
        #expect(message.values("From") == ["Nurture Team <hello@nurture.example>"])
        #expect(message.values("Reply-To") == ["Support <support@nurture.example>"])
        #expect(message.values("To") == ["Ada Lovelace <ada@example.com>"])
        #expect(message.values("Subject") == ["Welcome aboard"])
        #expect(message.values("MIME-Version") == ["1.0"])
        #expect(message.values("Content-Type") == ["text/plain; charset=utf-8"])
        #expect(message.values("Content-Transfer-Encoding") == ["7bit"])
        #expect(message.values("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
        #expect(message.body == "Hello Ada,\r\nwelcome.\r\n")
    }

    @Test("the Date header follows the given offset")
    func dateOffset() throws {
        let message = try Fixture.compose(Fixture.message(), utcOffsetSeconds: 3_600)
        #expect(message.values("Date") == ["Mon, 23 Nov 2026 10:00:00 +0100"])
    }

    @Test("text + HTML is multipart/alternative with the text part first and a boundary from the Message-ID")
    func multipart() throws {
        let composed = Fixture.message(html: "<p>Hello <b>Ada</b></p>", extraHeaders: [unsubscribe])
        let message = try Fixture.compose(composed)
        let boundary = MIMEBoundary.make(for: composed.messageID)
        #expect(boundary.hasPrefix("=_") && boundary.utf8.count <= 70)
        #expect(message.values("Content-Type") == ["multipart/alternative; boundary=\"\(boundary)\""])
        #expect(message.values("Content-Transfer-Encoding").isEmpty)
        #expect(message.names.last == "List-Unsubscribe")
        let expected = """
            --\(boundary)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 7bit\r
            \r
            Hello Ada,\r
            welcome.\r
            \r
            --\(boundary)\r
            Content-Type: text/html; charset=utf-8\r
            Content-Transfer-Encoding: 7bit\r
            \r
            <p>Hello <b>Ada</b></p>\r
            \r
            --\(boundary)--\r

            """
        #expect(message.body == expected)
        #expect(message.hasOnlyCRLF)
    }

    @Test("the boundary is deterministic and differs between Message-IDs")
    func boundaryIsPure() throws {
        let first = MIMEBoundary.make(for: MessageID.make(unique: "one", domain: "x.example"))
        #expect(first == MIMEBoundary.make(for: MessageID.make(unique: "one", domain: "x.example")))
        #expect(first != MIMEBoundary.make(for: MessageID.make(unique: "two", domain: "x.example")))
        let message = Fixture.message(html: "<p>x</p>")
        #expect(try MessageComposer.compose(message) == MessageComposer.compose(message))
    }

    @Test("a body that contains the boundary text is encoded, so it cannot end a part")
    func boundaryInBody() throws {
        let composed = Fixture.message(html: "<p>x</p>")
        let boundary = MIMEBoundary.make(for: composed.messageID)
        var hostile = composed
        hostile.textBody = "before\n--\(boundary)\nContent-Type: text/html\n\n<script>\n--\(boundary)--\n"
        let message = try Fixture.compose(hostile)
        let delimiters = message.lines.filter { String(decoding: $0, as: UTF8.self).hasPrefix("--\(boundary)") }
        #expect(delimiters.count == 3)
    }

    @Test(
        "display names: atoms as-is, specials quoted and escaped, non-ASCII encoded",
        arguments: [
            ("Ada Lovelace", "Ada Lovelace <ada@example.com>"),
            ("O'Brien", "O'Brien <ada@example.com>"),
            ("Lovelace, Ada", "\"Lovelace, Ada\" <ada@example.com>"),
            ("A. \"Ada\" L\\", "\"A. \\\"Ada\\\" L\\\\\" <ada@example.com>"),
            ("Zoë", "=?UTF-8?Q?Zo=C3=AB?= <ada@example.com>"),
            ("", "ada@example.com"),
        ])
    func displayNames(name: String, expected: String) throws {
        #expect(try Fixture.compose(Fixture.message(toName: name)).values("To") == [expected])
    }

    @Test("a display name with no name at all is the bare address")
    func bareAddress() throws {
        #expect(try Fixture.compose(Fixture.message(toName: nil)).values("To") == ["ada@example.com"])
    }

    @Test(
        "non-ASCII subjects and names become encoded-words ≤ 75 chars that decode back, lines ≤ 78",
        arguments: [
            "日本語の件名：ようこそ、ナーチャーへ。今日から始めましょう！日本語の件名：ようこそ",
            "🎉👩‍👩‍👧‍👦🇫🇷 Bienvenue à bord, Zoë 🥳" + String(repeating: "🎉", count: 30),
            "Cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e " + String(repeating: "o\u{308}\u{332}", count: 30),
            String(repeating: "x", count: 2_000),
            "=?UTF-8?B?SGk=?= looks encoded but is not",
            " léading and trailing spaces ",
        ])
    func encodedHeaders(text: String) throws {
        let message = try Fixture.compose(Fixture.message(fromName: text, subject: text))
        #expect(message.headerLines.allSatisfy { $0.utf8.count <= 78 })
        let subject = try #require(message.values("Subject").first)
        #expect(encodedWords(in: subject).allSatisfy { $0.utf8.count <= 75 })
        #expect(try #require(decodeEncodedWords(in: subject)).joined() == text)
        let from = try #require(message.values("From").first)
        #expect(from.hasSuffix(" <hello@nurture.example>"))
        let pieces = try #require(decodeEncodedWords(in: from))
        #expect(pieces.joined() == text)
        if text.unicodeScalars.count < 200 {
            #expect(pieces.map(\.count).reduce(0, +) == text.count, "a grapheme was split across encoded-words")
        }
    }

    @Test("long plain ASCII subjects fold at spaces and unfold to the original")
    func foldedSubject() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let message = try Fixture.compose(Fixture.message(subject: subject))
        #expect(message.values("Subject") == [subject])
        #expect(message.headerLines.filter { $0.hasPrefix(" ") }.count >= 2)
        #expect(message.headerLines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test(
        "CR/LF in names and subjects never starts a header line",
        arguments: [
            "Hi\r\nBcc: victim@example.com", "Hi\nBcc: victim@example.com", "Hi\rBcc: victim@example.com",
            "Hi\r\n\r\nbody injection", "Hi\r\n.\r\nMAIL FROM:<x@y>", "\r\nTrailing\r\n", "Zoë\r\nBcc: v@example.com",
        ])
    func lineBreakInjection(text: String) throws {
        let message = try Fixture.compose(Fixture.message(fromName: text, toName: text, subject: text))
        #expect(message.hasOnlyCRLF)
        #expect(
            message.names == [
                "Date", "Message-ID", "From", "To", "Subject", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding",
            ])
        #expect(!message.lines.contains { $0.first == UInt8(ascii: ".") })
        let flattened = try HeaderEncoder.singleLine(text, field: "subject")
        #expect(!flattened.contains("\r") && !flattened.contains("\n"))
        let subject = try #require(message.values("Subject").first)
        let decoded = subject.hasPrefix("=?") ? try #require(decodeEncodedWords(in: subject)).joined() : subject
        #expect(decoded == flattened)
    }

    @Test("line breaks collapse to one space and are dropped at the ends")
    func singleLine() throws {
        #expect(try HeaderEncoder.singleLine("\r\nA\r\n\nB\rC\n", field: "subject") == "A B C")
        #expect(try HeaderEncoder.singleLine("tab\tkept", field: "subject") == "tab\tkept")
    }

    @Test("other control characters in subjects and names are refused", arguments: ["a\u{0}b", "a\u{7}b", "\u{7F}"])
    func controls(text: String) throws {
        #expect(throws: ComposeError.self) { try MessageComposer.compose(Fixture.message(subject: text)) }
        #expect(throws: ComposeError.self) { try MessageComposer.compose(Fixture.message(toName: text)) }
        do {
            _ = try MessageComposer.compose(Fixture.message(toName: text))
        } catch {
            #expect(error.description.hasPrefix("To display name contains control character"))
        }
    }

    @Test("bodies: dot lines, From lines and bare CR/LF are harmless; no line over 76 in encoded bodies")
    func bodies() throws {
        let text = ".\r\n..\nFrom the team\rline\n" + String(repeating: "y", count: 2_000) + "\nünïcödé\n."
        let message = try Fixture.compose(Fixture.message(text: text, html: "<p>\n.\nFrom x</p>"))
        #expect(message.hasOnlyCRLF)
        #expect(!message.lines.contains { $0.first == UInt8(ascii: ".") })
        #expect(!message.lines.contains { $0.starts(with: "From ".utf8) })
        let blank = message.lines.firstIndex(where: \.isEmpty)!
        #expect(message.lines[blank...].allSatisfy { $0.count <= 76 })
    }

    @Test("an empty HTML body sends text only")
    func emptyHTML() throws {
        #expect(try Fixture.compose(Fixture.message(html: "")).values("Content-Type") == ["text/plain; charset=utf-8"])
    }
}
