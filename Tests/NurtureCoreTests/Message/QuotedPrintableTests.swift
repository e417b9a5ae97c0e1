import Foundation
import Testing

@testable import NurtureCore

@Suite("Quoted-printable and body encoding")
struct QuotedPrintableTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("normalises CRLF, lone LF and lone CR to CRLF and ends with a line break")
    func canonical() {
        #expect(text(BodyEncoder.canonical("a\nb\rc\r\nd")) == "a\r\nb\r\nc\r\nd\r\n")
        #expect(text(BodyEncoder.canonical("a\n\n\r\r\n")) == "a\r\n\r\n\r\n\r\n")
        #expect(BodyEncoder.canonical("").isEmpty)
    }

    @Test("short plain ASCII goes out as 7bit")
    func sevenBit() {
        let encoded = BodyEncoder.encode("Hello Ada,\n\nSee you soon.")
        #expect(encoded.encoding == .sevenBit)
        #expect(text(encoded.bytes) == "Hello Ada,\r\n\r\nSee you soon.\r\n")
    }

    @Test(
        "anything risky is quoted-printable",
        arguments: [
            "Grüße", ".\n", "a\n.hidden dot line", "From here on", "trailing space \nx", "=_boundary-ish",
            String(repeating: "a", count: 77), "tab\u{0}nul",
        ])
    func notSevenBit(body: String) {
        #expect(BodyEncoder.encode(body).encoding != .sevenBit)
    }

    @Test("a line-leading dot or From is escaped, also after a soft break")
    func dotAndFrom() {
        let encoded = text(QuotedPrintable.encode(BodyEncoder.canonical(".\n..x\nFrom me\nFromage\n")))
        #expect(encoded == "=2E\r\n=2E.x\r\n=46rom me\r\nFromage\r\n")
        let soft = text(QuotedPrintable.encode(BodyEncoder.canonical(String(repeating: "a", count: 75) + ".b")))
        #expect(!soft.split(separator: "\r\n").contains { $0.hasPrefix(".") })
        let softFrom = text(QuotedPrintable.encode(BodyEncoder.canonical(String(repeating: "a", count: 75) + "From x")))
        #expect(!softFrom.split(separator: "\r\n").contains { $0.hasPrefix("From ") })
    }

    @Test("escapes =, trailing white space and control bytes; keeps lines ≤ 76")
    func escapes() {
        #expect(text(QuotedPrintable.encode(Array("a=b \r\nc\t\r\n".utf8))) == "a=3Db=20\r\nc=09\r\n")
        let long = QuotedPrintable.encode(BodyEncoder.canonical(String(repeating: "é", count: 2_000)))
        let lines = text(long).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        // Every line but the last ends in a soft break, and soft breaks never cut an =XX escape.
        #expect(lines.dropLast(2).allSatisfy { $0.hasSuffix("=") })
        #expect(lines.allSatisfy(hasWholeEscapes))
    }

    private func hasWholeEscapes(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") {
                if index == bytes.count - 1 { return true }
                guard index + 2 < bytes.count,
                    bytes[(index + 1)...(index + 2)].allSatisfy({ MessageSyntax.hexDigits.contains($0) })
                else { return false }
                index += 2
            }
            index += 1
        }
        return true
    }

    @Test("a 2,000-character word with no spaces stays within the line limit")
    func longWord() {
        let encoded = BodyEncoder.encode(String(repeating: "x", count: 2_000))
        #expect(encoded.encoding == .quotedPrintable)
        #expect(text(encoded.bytes).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
    }

    @Test("CJK text uses base64 where quoted-printable would bloat")
    func base64ForCJK() {
        let encoded = BodyEncoder.encode(String(repeating: "日本語のテキスト。", count: 50))
        #expect(encoded.encoding == .base64)
        #expect(text(encoded.bytes).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
    }
}
