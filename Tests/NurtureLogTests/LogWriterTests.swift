import Foundation
import NurtureCore
import NurtureLog
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Log line formatting (pure) and the writer (level filter, one line per write, thread safety).
@Suite struct LogWriterTests {
    @Test func aSendLineLooksLikeTheDocumentedExample() throws {
        let lead = try EmailAddress("ana@example.com")
        let messageID = try MessageID("<20250101.abc@acme-analytics.example>")
        let line = LogLine(
            .info, "send",
            [
                "lead": lead, "sequence": "marketing-nurture", "step": "welcome", "message_id": messageID,
                "outcome": "sent", "code": 250, "reply": "2.0.0 Ok: queued as X",
            ])
        #expect(
            line.formatted()
                == "<6>send lead=ana@example.com sequence=marketing-nurture step=welcome"
                + " message_id=<20250101.abc@acme-analytics.example> outcome=sent code=250"
                + " reply=\"2.0.0 Ok: queued as X\"")
    }

    @Test(arguments: [
        (LogLevel.error, "<3>"), (.warning, "<4>"), (.notice, "<5>"), (.info, "<6>"), (.debug, "<7>"),
    ])
    func priorityPrefixes(level: LogLevel, prefix: String) {
        #expect(LogLine(level, "event").formatted() == prefix + "event")
        #expect(LogLevel(name: level.description) == level)
        #expect(LogLevel(name: level.description.uppercased()) == level)
    }

    @Test func unknownLevelNamesAreRejected() {
        #expect(LogLevel(name: "verbose") == nil)
        #expect(LogLevel(name: "") == nil)
    }

    /// `(value, as printed)`.
    @Test(arguments: [
        ("plain", "plain"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("a=b", "\"a=b\""),
        ("José", "José"),
        ("tab\there", "\"tab\\there\""),
        ("nul\u{0}", "\"nul\\u{0}\""),
        ("\u{1B}[31mred", "\"\\u{1B}[31mred\""),
        ("del\u{7F}", "\"del\\u{7F}\""),
        ("nel\u{85}x", "\"nel\\u{85}x\""),
        ("line\u{2028}sep", "\"line\\u{2028}sep\""),
        ("para\u{2029}sep", "\"para\\u{2029}sep\""),
        ("bidi\u{202E}txt", "\"bidi\\u{202E}txt\""),
        ("nb\u{A0}sp", "\"nb\u{A0}sp\""),
    ])
    func quotingAndEscaping(value: String, printed: String) {
        #expect(LogLine(.info, "e", ["v": value]).formatted() == "<6>e v=" + printed)
    }

    @Test func aForgedLineInLeadDataStaysOnOneLine() {
        let name = "Ana\n<3>forged event=1\r\n<0>also"
        let formatted = LogLine(.info, "send", ["name": name, "outcome": "sent"]).formatted()
        #expect(formatted == "<6>send name=\"Ana\\n<3>forged event=1\\r\\n<0>also\" outcome=sent")
        #expect(!formatted.unicodeScalars.contains { $0.properties.generalCategory == .control })

        let output = withCapturedWriter(minimumLevel: .debug) { writer in
            writer.log(.info, "send", ["name": name])
        }
        #expect(
            output.split(separator: "\n", omittingEmptySubsequences: false) == [
                "<6>send name=\"Ana\\n<3>forged event=1\\r\\n<0>also\"", "",
            ])
    }

    @Test func eventNamesAndKeysCannotCarrySpacesOrControls() {
        let line = LogLine(.notice, "re load\n", ["bad key=": "1", "ok_key.v-2": "2", "": "3"])
        #expect(line.formatted() == "<5>re_load_ bad_key_=1 ok_key.v-2=2 _=3")
    }

    @Test func nilValuesAreLeftOut() {
        let reply: String? = nil
        let code: Int? = 421
        var line = LogLine(.warning, "send", ["reply": reply, "code": code])
        line.append("attempt", 2)
        line.append("missing", reply)
        #expect(line.formatted() == "<4>send code=421 attempt=2")
    }

    @Test func longValuesAreCut() {
        let value = String(repeating: "x", count: LogLine.maximumValueLength + 50)
        let formatted = LogLine(.debug, "e", ["v": value]).formatted()
        #expect(formatted == "<7>e v=" + String(repeating: "x", count: LogLine.maximumValueLength) + "…")
    }

    @Test func linesBelowTheMinimumLevelAreDropped() {
        let output = withCapturedWriter(minimumLevel: .notice) { writer in
            #expect(writer.isEnabled(.warning))
            #expect(!writer.isEnabled(.info))
            writer.log(.debug, "debug")
            writer.log(.info, "info")
            writer.log(.notice, "notice")
            writer.log(LogLine(.warning, "warning"))
            writer.log(.error, "error")
            writer.minimumLevel = .debug
            writer.log(.debug, "debug-after-change")
        }
        #expect(output == "<5>notice\n<4>warning\n<3>error\n<7>debug-after-change\n")
    }

    @Test func concurrentWritersNeverInterleave() async {
        let output = await withCapturedWriterAsync(minimumLevel: .info) { writer in
            await withTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<250 {
                            writer.log(
                                .info, "send",
                                ["task": task, "index": index, "pad": String(repeating: "p", count: 200)])
                        }
                    }
                }
            }
        }
        let lines = output.split(separator: "\n")
        #expect(lines.count == 8 * 250)
        let pad = String(repeating: "p", count: 200)
        #expect(lines.allSatisfy { $0.hasPrefix("<6>send task=") && $0.hasSuffix(" pad=" + pad) })
    }
}

/// Runs `body` with a writer on a temporary file and returns what was written.
private func withCapturedWriter(minimumLevel: LogLevel, _ body: (LogWriter) -> Void) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-log-\(UUID().uuidString)").path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    defer {
        close(descriptor)
        unlink(path)
    }
    body(LogWriter(minimumLevel: minimumLevel, fileDescriptor: descriptor))
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// The async form of ``withCapturedWriter(minimumLevel:_:)``.
private func withCapturedWriterAsync(minimumLevel: LogLevel, _ body: (LogWriter) async -> Void) async -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-log-\(UUID().uuidString)").path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    defer {
        close(descriptor)
        unlink(path)
    }
    await body(LogWriter(minimumLevel: minimumLevel, fileDescriptor: descriptor))
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}
