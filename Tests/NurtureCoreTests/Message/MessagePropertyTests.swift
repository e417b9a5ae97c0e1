import Foundation
import Testing

@testable import NurtureCore

/// Composes hundreds of random messages and has Python's strict email parser check every one.
@Suite("MessageComposer property test")
struct MessagePropertyTests {
    static let count = 600
    static let seed: UInt64 = 20_261_123

    /// The validator script, found relative to this file so the test runs from any directory.
    static let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Support/validate_message.py")

    /// The subset of validate_message.py's JSON report the test reads.
    struct Report: Decodable {
        struct FileResult: Decodable {
            let file: String
            let defects: [String]
        }
        let checked: Int
        let with_expectations: Int
        let defect_count: Int
        let dot_lines: Int
        let from_lines: Int
        let longest_line: Int
        let longest_header_line: Int
        let results: [FileResult]
    }

    @Test("600 random messages have no defects in Python's strict parser and decode to what was composed")
    func randomMessages() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nurture-message-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var generator = SeededGenerator(seed: Self.seed)
        var files: [String] = []
        var withHTML = 0
        var seen: [String: Int] = [:]
        for index in 0..<Self.count {
            let sample = try RandomMessage(index: index, using: &generator)
            let bytes = try MessageComposer.compose(sample.message, utcOffsetSeconds: sample.offset)
            let url = directory.appendingPathComponent(String(format: "m%04d.eml", index))
            try Data(bytes).write(to: url)
            let sidecar = try JSONSerialization.data(withJSONObject: sample.expectations, options: [.sortedKeys])
            try sidecar.write(to: URL(fileURLWithPath: url.path + ".json"))
            files.append(url.path)
            if sample.message.htmlBody != nil { withHTML += 1 }
            for feature in Self.features(of: RawMessage(bytes)) { seen[feature, default: 0] += 1 }
        }
        #expect(withHTML > Self.count / 4 && withHTML < Self.count * 3 / 4)
        // The generator really exercised every path the validator is meant to check.
        for feature in [
            "7bit", "quoted-printable", "base64", "folded subject", "Q subject", "B subject",
            "quoted name", "encoded name", "multi-word encoded name", "plain name", "bare address",
        ] {
            #expect(seen[feature, default: 0] >= 5, "only \(seen[feature, default: 0]) messages with \(feature)")
        }

        let report = try runValidator(files)
        let failures = report.results.filter { !$0.defects.isEmpty }.prefix(10)
            .map { "\($0.file): \($0.defects.prefix(5).joined(separator: " | "))" }.joined(separator: "\n")
        #expect(report.checked == Self.count)
        #expect(report.with_expectations == Self.count)
        #expect(report.defect_count == 0, "\(failures)")
        #expect(report.dot_lines == 0 && report.from_lines == 0)
        #expect(report.longest_line <= 998)
        #expect(report.longest_header_line <= 78)
    }

    /// Which encoder paths a composed message went through.
    static func features(of message: RawMessage) -> Set<String> {
        var features = Set(message.values("Content-Transfer-Encoding"))
        for line in message.body.components(separatedBy: "\r\n") where line.hasPrefix("Content-Transfer-Encoding: ") {
            features.insert(String(line.dropFirst("Content-Transfer-Encoding: ".count)))
        }
        let subject = message.values("Subject").first ?? ""
        if message.headerLines.contains(where: { $0.hasPrefix(" ") }) { features.insert("folded header") }
        if subject.contains("=?UTF-8?Q?") { features.insert("Q subject") }
        if subject.contains("=?UTF-8?B?") { features.insert("B subject") }
        if let start = message.headerLines.firstIndex(where: { $0.hasPrefix("Subject:") }),
            message.headerLines[start + 1].hasPrefix(" ")
        {
            features.insert("folded subject")
        }
        for name in message.values("From") + message.values("To") {
            let words = encodedWords(in: name).count
            if name.hasPrefix("\"") { features.insert("quoted name") }
            if words > 0 { features.insert("encoded name") }
            if words > 1 { features.insert("multi-word encoded name") }
            if words == 0 && !name.hasPrefix("\"") && name.hasSuffix(">") { features.insert("plain name") }
            if !name.hasSuffix(">") { features.insert("bare address") }
        }
        return features
    }

    private func runValidator(_ files: [String]) throws -> Report {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.validator.path, "--strict-lines"] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(Report.self, from: data)
    }
}

/// One random message and the values Python should decode from it.
struct RandomMessage {
    let message: OutgoingMessage
    let offset: Int
    let expectations: [String: Any]

    init(index: Int, using generator: inout SeededGenerator) throws {
        let fromName = Bool.random(using: &generator) ? RandomText.line(using: &generator) : nil
        let toName = Int.random(in: 0..<5, using: &generator) > 0 ? RandomText.line(using: &generator) : nil
        let subject = RandomText.line(using: &generator)
        let text = RandomText.body(using: &generator)
        let html = Bool.random(using: &generator) ? "<p>" + RandomText.body(using: &generator) + "</p>" : nil
        let token = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36)
        var extra = [
            try HeaderField(
                name: "List-Unsubscribe",
                value:
                    "<https://nurture.example/unsubscribe/\(token)>,"
                    + " <mailto:unsubscribe@nurture.example?subject=\(token)>"
            ),
            try HeaderField(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click"),
        ]
        if Bool.random(using: &generator) {
            let campaign = RandomText.headerValue(using: &generator)
            extra.append(try HeaderField(name: "X-Nurture-Campaign", value: campaign))
        }
        let from = Mailbox(displayName: fromName, address: try EmailAddress("hello@nurture.example"))
        let to = Mailbox(displayName: toName, address: try EmailAddress("lead.\(index)+tag@example.com"))
        let date = Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000, using: &generator)))
        message = OutgoingMessage(
            from: from, to: to, subject: subject, date: date,
            messageID: MessageID.make(unique: "\(index).\(token)", domain: "nurture.example"), textBody: text,
            htmlBody: html, extraHeaders: extra)
        offset = Int.random(in: -12 * 60...14 * 60, using: &generator) * 60

        var headers: [String: Any] = [:]
        for field in extra { headers[field.name] = field.value }
        expectations = [
            "subject": Self.singleLine(subject),
            "from": Self.mailbox(from),
            "to": Self.mailbox(to),
            "reply_to": NSNull(),
            "text": Self.withFinalBreak(text),
            "html": html.map(Self.withFinalBreak) ?? NSNull(),
            "headers": headers,
        ]
    }

    /// The documented header rule: CR/LF runs become one space, dropped at the ends.
    static func singleLine(_ text: String) -> String {
        var out = ""
        var pending = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" || scalar == "\n" {
                pending = !out.isEmpty
                continue
            }
            if pending { out += " " }
            pending = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    static func mailbox(_ mailbox: Mailbox) -> [String: Any] {
        let name = mailbox.displayName.map(singleLine) ?? ""
        return ["address": mailbox.address.description, "display_name": name.isEmpty ? NSNull() : name]
    }

    /// The documented body rule: non-empty text ends with a line break.
    static func withFinalBreak(_ text: String) -> String {
        guard let last = text.unicodeScalars.last, last != "\n", last != "\r" else { return text }
        return text + "\n"
    }
}

/// Random Unicode text from pools chosen to hit the encoders' edge cases.
enum RandomText {
    static let pools: [[String]] = [
        (Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")).map(String.init),
        [" ", " ", " ", "  ", "\t"],
        Array(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").map(String.init),
        ["=?", "?=", "=_", "=?UTF-8?B?SGk=?=", "=20", "_", "From ", ".", "..", "--", "\\\"", "\"\""],
        (0xC0...0xFF).map { String(UnicodeScalar($0)!) } + ["ß", "Œ", "ł", "Ğ", "ș"],
        (0x4E00...0x4F00).map { String(UnicodeScalar($0)!) } + (0x3041...0x3096).map { String(UnicodeScalar($0)!) },
        (0x1F300...0x1F64F).map { String(UnicodeScalar($0)!) } + ["👩‍👩‍👧‍👦", "🇫🇷", "🇯🇵", "👍🏽", "🧑🏾‍💻", "❤️"],
        ["e\u{301}", "a\u{308}\u{301}", "o\u{332}\u{308}", "\u{301}", "Z\u{336}\u{337}\u{338}", "ก\u{E34}\u{E49}"],
        (0x05D0...0x05EA).map { String(UnicodeScalar($0)!) } + (0x0627...0x064A).map { String(UnicodeScalar($0)!) },
        ["\u{200B}", "\u{FEFF}", "\u{2028}", "\u{85}", "\u{A0}", "\u{202E}", "\u{FFFD}", "\u{10FFFF}"],
    ]

    static func piece(using generator: inout SeededGenerator) -> String {
        let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
        return pool[Int.random(in: 0..<pool.count, using: &generator)]
    }

    /// A subject or display name: usually short, sometimes long, sometimes with line breaks or one huge word.
    static func line(using generator: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<20, using: &generator) {
        case 0: return ""
        case 1: return String(repeating: piece(using: &generator), count: 2_000 / 4)
        case 2: return "Hi\r\nBcc: victim@example.com\n" + piece(using: &generator)
        case 3: return (0..<6).map { _ in "word" + piece(using: &generator) }.joined(separator: " ")
        default:
            let length = Int.random(in: 1...(Bool.random(using: &generator) ? 12 : 120), using: &generator)
            return (0..<length).map { _ in piece(using: &generator) }.joined()
        }
    }

    /// An extra-header value: any text without control characters other than TAB.
    static func headerValue(using generator: inout SeededGenerator) -> String {
        let length = Int.random(in: 1...80, using: &generator)
        return (0..<length).map { _ in piece(using: &generator) }.joined()
    }

    /// A body with mixed line endings, dot and From lines, long lines and the odd control character.
    static func body(using generator: inout SeededGenerator) -> String {
        let breaks = ["\n", "\r\n", "\r", "\n\n"]
        var text = ""
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            switch Int.random(in: 0..<12, using: &generator) {
            case 0: text += "."
            case 1: text += "From the team"
            case 2: text += String(repeating: "x", count: Int.random(in: 70...2_100, using: &generator))
            case 3: text += "tab\there\u{0}nul\u{7F}del\u{C}ff "
            case 4: text += "trailing space "
            default:
                let length = Int.random(in: 0...(Bool.random(using: &generator) ? 40 : 300), using: &generator)
                text += (0..<length).map { _ in piece(using: &generator) }.joined()
            }
            text += breaks[Int.random(in: 0..<breaks.count, using: &generator)]
        }
        if Bool.random(using: &generator) { text += (0..<5).map { _ in piece(using: &generator) }.joined() }
        return text
    }
}
