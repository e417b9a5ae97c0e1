public import Logging

/// A swift-log `LogHandler` that writes through a ``LogWriter``, so the lines of Hummingbird, of the service
/// lifecycle and of any other library reach standard error (journald) in the daemon's own format and priorities.
///
/// A record becomes one ``LogLine``: the logger's label is the event, the message is the `message` field, then the
/// metadata in key order, then `error` when the record carries one. For example Hummingbird's
/// `<6>hummingbird message="Server started and listening on 127.0.0.1:8080"`. Values of keys that name a credential
/// (`authorization`, `password`, `secret`, `token`, `cookie`) are written as `<redacted>`, so a library that logs a
/// header cannot put a secret in the journal.
public struct JournalLogHandler: LogHandler {
    /// The writer all handlers share; its minimum level and lock apply to every line.
    public let writer: LogWriter
    /// The logger's label, written as the line's event.
    public let label: String
    /// Metadata set on the logger (`logger[metadataKey:]`).
    public var metadata: Logger.Metadata = [:]
    /// The metadata provider, if any.
    public var metadataProvider: Logger.MetadataProvider?
    /// The least important level passed on; starts at the writer's ``LogWriter/minimumLevel``.
    public var logLevel: Logger.Level

    /// A handler for the logger labelled `label`, writing through `writer`.
    public init(label: String, writer: LogWriter, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.writer = writer
        self.metadataProvider = metadataProvider
        self.logLevel = Self.loggerLevel(writer.minimumLevel)
    }

    /// One metadata value of the logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the record as one line, if the writer's level lets it through.
    public func log(event: LogEvent) {
        let level = Self.level(event.level)
        guard writer.isEnabled(level) else { return }
        writer.log(line(for: event))
    }

    /// The line a record becomes (pure but for the metadata provider).
    public func line(for event: LogEvent) -> LogLine {
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
    public static func level(_ level: Logger.Level) -> LogLevel {
        switch level {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error, .critical: .error
        }
    }

    /// The swift-log level that lets exactly the lines at `level` and above through.
    public static func loggerLevel(_ level: LogLevel) -> Logger.Level {
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
