package import Logging

/// A swift-log `LogHandler` that writes through a ``LogWriter``, so the lines of Hummingbird, of the service
/// lifecycle and of any other library reach standard error (journald) in the daemon's own format and priorities.
///
/// A record becomes one ``LogLine``: the logger's label is the event, the message is the `message` field, then the
/// metadata in key order, then `error` when the record carries one. For example Hummingbird's
/// `<6>hummingbird message="Server started and listening on 127.0.0.1:8080"`. Values of keys that name a credential
/// (`authorization`, `password`, `secret`, `token`, `cookie`) are written as `<redacted>`, so a library that logs a
/// header cannot put a secret in the journal.
package struct JournalLogHandler: LogHandler {
    /// The writer all handlers share; its minimum level and lock apply to every line.
    package let writer: LogWriter
    /// The logger's label, written as the line's event.
    package let label: String
    /// Metadata set on the logger (`logger[metadataKey:]`).
    package var metadata: Logger.Metadata = [:]
    /// The metadata provider, if any.
    package var metadataProvider: Logger.MetadataProvider?
    /// The least important level passed on; starts at the writer's ``LogWriter/minimumLevel``.
    package var logLevel: Logger.Level

    /// A handler for the logger labelled `label`, writing through `writer`.
    package init(label: String, writer: LogWriter, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.writer = writer
        self.metadataProvider = metadataProvider
        self.logLevel = Self.loggerLevel(writer.minimumLevel)
    }

    /// One metadata value of the logger.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the record as one line, if the writer's level lets it through.
    package func log(event: LogEvent) {
        let level = Self.level(event.level)
        guard writer.isEnabled(level) else { return }
        writer.log(line(for: event))
    }

    /// The metadata key under which ``Logging/Logger/log(_:)`` passes a daemon line with its fields in order.
    package static let lineKey = "nurture.line"

    /// The line a record becomes (pure but for the metadata provider): a daemon line passed with
    /// ``Logging/Logger/log(_:)`` exactly as it was made, any other record as described on the type.
    package func line(for event: LogEvent) -> LogLine {
        if case .stringConvertible(let value) = event.metadata?[Self.lineKey], let ordered = value as? OrderedLine {
            return ordered.line
        }
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var line = LogLine(Self.level(event.level), label, ["message": event.message.description])
        for key in merged.keys.sorted() {
            line.append(key, Self.isSecret(key) ? "<redacted>" : merged[key].map { "\($0)" })
        }
        if let error = event.error { line.append("error", "\(error)") }
        return line
    }

    /// The syslog priority of a swift-log level: `trace` and `debug` are `<7>`, `critical` is `<3>` like `error`.
    package static func level(_ level: Logger.Level) -> LogLevel {
        switch level {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error, .critical: .error
        }
    }

    /// The swift-log level that lets exactly the lines at `level` and above through.
    package static func loggerLevel(_ level: LogLevel) -> Logger.Level {
        switch level {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }

    /// Whether a metadata key names a credential.
    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["authorization", "password", "secret", "token", "cookie"].contains { lowered.contains($0) }
    }
}

/// A daemon line carried through swift-log as one metadata value, so its fields keep their order.
struct OrderedLine: CustomStringConvertible, Sendable {
    let line: LogLine

    /// The fields as printed (for a handler other than ``JournalLogHandler``).
    var description: String {
        let formatted = line.formatted()
        return formatted.firstIndex(of: " ").map { String(formatted[formatted.index(after: $0)...]) } ?? ""
    }
}

extension Logger {
    /// Logs a daemon line: through a ``JournalLogHandler`` it is written exactly as ``LogWriter/log(_:)`` writes it
    /// (the event, then the fields in the order given); another handler gets the event as the message and the
    /// formatted fields under ``JournalLogHandler/lineKey``.
    package func log(_ line: LogLine) {
        log(
            level: JournalLogHandler.loggerLevel(line.level), "\(line.event)",
            metadata: [JournalLogHandler.lineKey: .stringConvertible(OrderedLine(line: line))])
    }

    /// Builds and logs a daemon line (see ``log(_:)``); the fields are not converted when `level` is off.
    package func log(
        _ level: LogLevel, _ event: String,
        _ fields: @autoclosure () -> KeyValuePairs<String, any LogValueConvertible> = [:]
    ) {
        guard JournalLogHandler.loggerLevel(level) >= logLevel else { return }
        log(LogLine(level, event, fields()))
    }
}
