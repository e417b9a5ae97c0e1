package import NurtureCore
package import NurtureSMTP
internal import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How important a log line is; the raw value is the syslog priority journald reads from the `<N>` prefix.
package enum LogLevel: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// `<3>`: something failed and needs an operator (relay login refused, store unwritable).
    case error = 3
    /// `<4>`: something went wrong and was handled (a send deferred, a reload rejected).
    case warning = 4
    /// `<5>`: a normal but significant event (started, reloaded, stopping).
    case notice = 5
    /// `<6>`: routine events (each send and its outcome).
    case info = 6
    /// `<7>`: detail for debugging.
    case debug = 7

    /// Parses a level name as written in configuration: `error`, `warning`, `notice`, `info`, `debug`.
    package init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = level
    }

    /// The level's name, e.g. `warning`.
    package var description: String {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }

    /// More important sorts first: `.error < .debug`.
    package static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A value that may appear in a log line. `nil` leaves the field out.
///
/// `Secret` deliberately has no usable conformance: passing one is a compile-time error.
package protocol LogValueConvertible {
    /// The text to log, before quoting and escaping; `nil` omits the field.
    var logValue: String? { get }
}

extension String: LogValueConvertible {
    /// The string itself.
    package var logValue: String? { self }
}

extension Substring: LogValueConvertible {
    /// The substring's text.
    package var logValue: String? { String(self) }
}

extension Int: LogValueConvertible {
    /// The decimal number.
    package var logValue: String? { String(self) }
}

extension Int64: LogValueConvertible {
    /// The decimal number.
    package var logValue: String? { String(self) }
}

extension UInt64: LogValueConvertible {
    /// The decimal number.
    package var logValue: String? { String(self) }
}

extension Double: LogValueConvertible {
    /// The number as Swift prints it.
    package var logValue: String? { String(self) }
}

extension Bool: LogValueConvertible {
    /// `true` or `false`.
    package var logValue: String? { String(self) }
}

extension EmailAddress: LogValueConvertible {
    /// `local@domain`.
    package var logValue: String? { description }
}

extension MessageID: LogValueConvertible {
    /// `<left@right>`.
    package var logValue: String? { description }
}

extension SendState: LogValueConvertible {
    /// The state's name.
    package var logValue: String? { description }
}

extension Optional: LogValueConvertible where Wrapped: LogValueConvertible {
    /// The wrapped value's text; `nil` leaves the field out.
    package var logValue: String? { self?.logValue }
}

@available(*, unavailable, message: "secrets are never logged")
extension Secret: LogValueConvertible {
    /// Never used: the conformance is unavailable.
    package var logValue: String? { nil }
}

/// One structured log line: a priority, an event name and ordered `key=value` fields.
///
/// ``formatted()`` is pure: `<6>send lead=ana@example.com outcome=sent code=250 reply="2.0.0 Ok"`.
/// Values with spaces, quotes, backslashes or `=` are quoted; control and invisible format characters
/// (CR, LF, TAB, NEL, U+2028, bidi overrides...) are escaped, so lead data can never start a second line.
package struct LogLine: Sendable, Hashable {
    /// The longest value kept, in Unicode scalars; longer values are cut and end with `…`.
    package static let maximumValueLength = 1000

    /// The line's priority.
    package var level: LogLevel
    /// What happened, e.g. `send`, `reload`; characters outside `[A-Za-z0-9_.-]` become `_`.
    package var event: String
    /// The fields in the order they are printed, values already converted to text.
    package private(set) var fields: [(key: String, value: String)]

    /// Makes a line; fields whose value is `nil` are left out.
    package init(_ level: LogLevel, _ event: String, _ fields: KeyValuePairs<String, any LogValueConvertible> = [:]) {
        self.level = level
        self.event = event
        self.fields = fields.compactMap { key, value in value.logValue.map { (key, $0) } }
    }

    /// Appends a field (left out when `value` is `nil`).
    package mutating func append(_ key: String, _ value: some LogValueConvertible) {
        if let text = value.logValue { fields.append((key, text)) }
    }

    /// The line as written, without the trailing newline: `<N>event key=value ...`.
    package func formatted() -> String {
        var line = "<\(level.rawValue)>" + Self.name(event)
        for (key, value) in fields {
            line += " " + Self.name(key) + "=" + Self.quoted(value)
        }
        return line
    }

    /// Two lines are equal when they would print the same.
    package static func == (lhs: LogLine, rhs: LogLine) -> Bool { lhs.formatted() == rhs.formatted() }

    /// Hashes the printed form.
    package func hash(into hasher: inout Hasher) { hasher.combine(formatted()) }

    /// An event or key: `[A-Za-z0-9_.-]`, anything else replaced by `_`, never empty.
    static func name(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { scalar -> Unicode.Scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "_.-".unicodeScalars.contains(scalar))
                ? scalar : "_"
        }
        return scalars.isEmpty ? "_" : String(String.UnicodeScalarView(scalars))
    }

    /// The value bare when that is unambiguous, else in double quotes with escapes.
    static func quoted(_ value: String) -> String {
        var scalars = Array(value.unicodeScalars)
        if scalars.count > maximumValueLength {
            scalars = Array(scalars.prefix(maximumValueLength)) + ["…"]
        }
        if !scalars.isEmpty && scalars.allSatisfy(isBare) { return String(String.UnicodeScalarView(scalars)) }
        var result = "\""
        for scalar in scalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if needsEscape(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A scalar that may appear in an unquoted value.
    private static func isBare(_ scalar: Unicode.Scalar) -> Bool {
        !needsEscape(scalar) && !scalar.properties.isWhitespace && scalar != "\"" && scalar != "\\" && scalar != "="
    }

    /// Controls (C0, DEL, C1), format characters (bidi overrides, zero-width) and line/paragraph separators.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: true
        default: false
        }
    }
}

/// Writes ``LogLine``s to standard error (journald under systemd), one `write(2)` per line.
///
/// Thread-safe: the minimum level and the writes are guarded by one mutex, so lines never interleave.
/// Lines below ``minimumLevel`` are dropped before they are formatted.
package final class LogWriter: Sendable {
    private let minimum: Mutex<LogLevel>
    private let descriptor: Int32

    /// Makes a writer for `fileDescriptor` (2, standard error, by default), keeping lines at `minimumLevel`
    /// or more important.
    package init(minimumLevel: LogLevel = .info, fileDescriptor: Int32 = 2) {
        minimum = Mutex(minimumLevel)
        descriptor = fileDescriptor
    }

    /// The least important level written; can change at run time (e.g. on reload).
    package var minimumLevel: LogLevel {
        get { minimum.withLock { $0 } }
        set { minimum.withLock { $0 = newValue } }
    }

    /// Whether a line at `level` would be written.
    package func isEnabled(_ level: LogLevel) -> Bool { level <= minimumLevel }

    /// Writes `line` if its level is enabled.
    package func log(_ line: LogLine) {
        minimum.withLock { minimum in
            guard line.level <= minimum else { return }
            Self.write(Array((line.formatted() + "\n").utf8), to: descriptor)
        }
    }

    /// Builds and writes a line if `level` is enabled; fields are not converted when it is not.
    package func log(
        _ level: LogLevel, _ event: String,
        _ fields: @autoclosure () -> KeyValuePairs<String, any LogValueConvertible> = [:]
    ) {
        guard isEnabled(level) else { return }
        log(LogLine(level, event, fields()))
    }

    /// One `write(2)`; retried only when interrupted or partial. Errors are ignored (nowhere to report them).
    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
