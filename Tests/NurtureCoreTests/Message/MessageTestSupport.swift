import Foundation

@testable import NurtureCore

/// A composed message split back into lines and unfolded headers, for assertions.
struct RawMessage {
    /// Every line without its CRLF (a trailing CRLF does not produce an empty last line).
    let lines: [[UInt8]]
    /// Header fields in order, unfolded (CRLF before white space removed), value after `Name: `.
    let headers: [(name: String, value: String)]
    /// The header block's physical lines.
    let headerLines: [String]
    /// Everything after the blank line, as text.
    let body: String
    /// True when every CR is followed by LF and every LF preceded by CR, and the message ends with CRLF.
    let hasOnlyCRLF: Bool

    init(_ bytes: [UInt8]) {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var onlyCRLF = bytes.count >= 2 && bytes.suffix(2).elementsEqual([13, 10])
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            if bytes[index] == 13 || bytes[index] == 10 { onlyCRLF = false }
            current.append(bytes[index])
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        self.lines = lines
        self.hasOnlyCRLF = onlyCRLF
        let blank = lines.firstIndex(where: \.isEmpty) ?? lines.count
        let headerLines = lines[..<blank].map { String(decoding: $0, as: UTF8.self) }
        self.headerLines = headerLines
        var headers: [(String, String)] = []
        for line in headerLines {
            if line.first == " " || line.first == "\t", let last = headers.popLast() {
                headers.append((last.0, last.1 + line))
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...]
                headers.append((String(line[..<colon]), String(value.hasPrefix(" ") ? value.dropFirst() : value)))
            } else {
                headers.append(("<malformed>", line))
            }
        }
        self.headers = headers
        let bodyLines = lines.count > blank ? Array(lines[(blank + 1)...]) : []
        self.body = bodyLines.map { String(decoding: $0, as: UTF8.self) + "\r\n" }.joined()
    }

    /// The unfolded values of every header named `name` (case-insensitive).
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The header names in order.
    var names: [String] { headers.map(\.name) }
}

/// Decodes each RFC 2047 encoded-word in `value` on its own; `nil` if one is not valid UTF-8 by itself.
func decodeEncodedWords(in value: String) -> [String]? {
    var pieces: [String] = []
    for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" }) where word.hasPrefix("=?") {
        let parts = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == 3, word.hasSuffix("?=") else { return nil }
        var bytes: [UInt8] = []
        if parts[1].uppercased() == "B" {
            guard let data = Data(base64Encoded: String(parts[2])) else { return nil }
            bytes = Array(data)
        } else {
            let text = Array(parts[2].utf8)
            var index = 0
            while index < text.count {
                if text[index] == UInt8(ascii: "_") {
                    bytes.append(0x20)
                } else if text[index] == UInt8(ascii: "="), index + 2 < text.count,
                    let byte = UInt8(String(decoding: text[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                {
                    bytes.append(byte)
                    index += 2
                } else {
                    bytes.append(text[index])
                }
                index += 1
            }
        }
        guard let piece = String(validating: bytes, as: UTF8.self) else { return nil }
        pieces.append(piece)
    }
    return pieces
}

/// The encoded-words found in `value`.
func encodedWords(in value: String) -> [Substring] {
    value.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { $0.hasPrefix("=?") }
}

/// SplitMix64: a small, seedable generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fixtures for composer tests.
enum Fixture {
    /// 2026-11-23 09:00:00 UTC, a Monday.
    static let date = Date(timeIntervalSince1970: 1_795_424_400)

    static func address(_ text: String) -> EmailAddress { try! EmailAddress(text) }

    static func message(
        fromName: String? = "Nurture Team", toName: String? = "Ada Lovelace", subject: String = "Welcome aboard",
        text: String = "Hello Ada,\nwelcome.\n", html: String? = nil, extraHeaders: [HeaderField] = [],
        replyTo: Mailbox? = nil
    ) -> OutgoingMessage {
        OutgoingMessage(
            from: Mailbox(displayName: fromName, address: address("hello@nurture.example")),
            replyTo: replyTo,
            to: Mailbox(displayName: toName, address: address("ada@example.com")),
            subject: subject, date: date, messageID: MessageID.make(unique: "abc-123", domain: "nurture.example"),
            textBody: text, htmlBody: html, extraHeaders: extraHeaders)
    }

    /// Composes and parses.
    static func compose(_ message: OutgoingMessage, utcOffsetSeconds: Int = 0) throws -> RawMessage {
        RawMessage(try MessageComposer.compose(message, utcOffsetSeconds: utcOffsetSeconds))
    }
}
