import Foundation
import Logging
import NurtureLog
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The swift-log handler: libraries' records become the daemon's `<N>event key=value` lines, with the same
/// priorities, level filter and escaping as the daemon's own lines, and never a credential.
@Suite struct JournalLogHandlerTests {
    static func event(
        _ level: Logger.Level, _ message: Logger.Message, _ metadata: Logger.Metadata? = nil, error: (any Error)? = nil
    ) -> LogEvent {
        LogEvent(
            level: level, message: message, error: error, metadata: metadata, source: nil, file: #fileID,
            function: #function, line: #line)
    }

    @Test(
        "each swift-log level maps to its syslog priority",
        arguments: [
            (Logger.Level.trace, "<7>"), (.debug, "<7>"), (.info, "<6>"), (.notice, "<5>"), (.warning, "<4>"),
            (.error, "<3>"), (.critical, "<3>"),
        ])
    func priorities(level: Logger.Level, prefix: String) {
        let handler = JournalLogHandler(label: "hummingbird", writer: LogWriter(minimumLevel: .debug))
        let line = handler.line(for: Self.event(level, "Server started")).formatted()
        #expect(line == "\(prefix)hummingbird message=\"Server started\"")
    }

    @Test(
        "the --log-level maps to the logger level that lets exactly those lines through",
        arguments: LogLevel.allCases)
    func levelsRoundTrip(level: LogLevel) {
        #expect(JournalLogHandler.level(JournalLogHandler.loggerLevel(level)) == level)
    }

    @Test("metadata follows the message in key order; the logger's own metadata is merged in; errors come last")
    func fieldsInOrder() {
        struct Refused: Error, CustomStringConvertible { var description: String { "address in use" } }
        var handler = JournalLogHandler(label: "lifecycle", writer: LogWriter(minimumLevel: .debug))
        handler[metadataKey: "component"] = "http"
        let line = handler.line(
            for: Self.event(.error, "bind failed", ["port": "8080", "address": "127.0.0.1"], error: Refused()))
        #expect(
            line.formatted()
                == "<3>lifecycle message=\"bind failed\" address=127.0.0.1 component=http port=8080 error=\"address in use\""
        )
    }

    @Test("credentials in metadata are redacted", arguments: ["authorization", "Password", "api_token", "set-cookie"])
    func secretsAreRedacted(key: String) {
        let handler = JournalLogHandler(label: "hummingbird", writer: LogWriter())
        let line = handler.line(for: Self.event(.info, "request", [key: "Bearer s3cr3t"])).formatted()
        #expect(!line.contains("s3cr3t"))
        #expect(line.contains("=<redacted>"))
    }

    @Test("a message with a newline cannot start a second journal line")
    func injectionIsEscaped() {
        let handler = JournalLogHandler(label: "hummingbird", writer: LogWriter())
        let line = handler.line(for: Self.event(.info, "GET /\n<3>forged")).formatted()
        #expect(line == #"<6>hummingbird message="GET /\n<3>forged""#)
    }

    @Test("through a Logger: below --log-level nothing is written, at or above one line per record")
    func throughALogger() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-log-\(UUID().uuidString)")
        let descriptor = open(path.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer {
            close(descriptor)
            unlink(path.path)
        }
        let writer = LogWriter(minimumLevel: .notice, fileDescriptor: descriptor)
        let logger = Logger(label: "lifecycle") { JournalLogHandler(label: $0, writer: writer) }
        logger.debug("Starting service")
        logger.info("Service started")
        logger.notice("Received SIGTERM", metadata: ["signal": "SIGTERM"])
        logger.critical("Cancellation took too long")
        let written = try String(contentsOf: path, encoding: .utf8)
        #expect(
            written
                == "<5>lifecycle message=\"Received SIGTERM\" signal=SIGTERM\n"
                + "<3>lifecycle message=\"Cancellation took too long\"\n")
    }

    @Test("a daemon line logged through a Logger is written byte for byte as the LogWriter writes it")
    func daemonLinesKeepTheirFormat() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-log-\(UUID().uuidString)")
        let descriptor = open(path.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer {
            close(descriptor)
            unlink(path.path)
        }
        let writer = LogWriter(minimumLevel: .info, fileDescriptor: descriptor)
        var logger = Logger(label: "nurture") { JournalLogHandler(label: $0, writer: writer) }
        logger[metadataKey: "component"] = "http"
        let line = LogLine(
            .info, "send",
            ["lead": "ana@example.com", "sequence": "marketing-nurture", "step": "welcome", "reply": "2.0.0 Ok"])
        logger.log(line)
        logger.log(.notice, "stopping")
        logger.log(.debug, "detail", ["never": "written"])
        let written = try String(contentsOf: path, encoding: .utf8)
        #expect(written == line.formatted() + "\n<5>stopping\n")
        #expect(
            line.formatted()
                == #"<6>send lead=ana@example.com sequence=marketing-nurture step=welcome reply="2.0.0 Ok""#)
    }
}
