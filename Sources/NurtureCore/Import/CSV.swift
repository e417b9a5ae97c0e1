/// A small RFC 4180 reader: comma-separated fields, double-quoted fields with `""` for a quote and embedded
/// commas or line breaks, CRLF or LF line ends, an optional UTF-8 byte-order mark. Pure; no I/O.
///
/// ``parse(_:)`` reads a whole text; ``Parser`` reads a file of any size piece by piece (the caller reads
/// the bytes), so a million-row import never holds the whole file.
package enum CSV {
    /// One record and the line it starts on (from 1), for error messages.
    package struct Record: Sendable, Hashable {
        package var line: Int
        package var fields: [String]

        package init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Why a text is not CSV.
    package struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        package var line: Int
        package var problem: String

        package var description: String { "line \(line): \(problem)" }
    }

    /// Splits `text` into records. Blank lines are skipped.
    package static func parse(_ text: String) throws(SyntaxError) -> [Record] {
        var parser = Parser()
        var records = try parser.feed(Array(text.utf8))
        records += try parser.finish()
        return records
    }

    /// An incremental reader: feed it the bytes of a UTF-8 file in pieces of any size (a piece may end in
    /// the middle of a field, a quote pair or a character), then call ``finish()``. Each call returns the
    /// records completed so far, in order.
    package struct Parser: Sendable {
        private let checkingOnly: Bool
        private var records: [Record] = []
        private var fields: [String] = []
        private var field: [UInt8] = []
        private var inQuotes = false
        private var afterQuote = false
        /// A quote was read inside quotes: the next byte says whether it was `""` or the closing quote.
        private var quoteInQuotes = false
        /// A CR ended a record: a LF right after it belongs to the same line end.
        private var afterCR = false
        private var atStart = true
        private var line = 1
        private var recordLine = 1

        /// - Parameter checkingOnly: only check the syntax (quotes, UTF-8) and return no records, which is
        ///   several times cheaper: a first pass over a file that must be imported whole or not at all.
        package init(checkingOnly: Bool = false) {
            self.checkingOnly = checkingOnly
        }

        /// Reads `bytes`, the next piece of the file.
        /// - Returns: the records completed in this piece (blank lines are skipped).
        package mutating func feed(_ bytes: some Sequence<UInt8>) throws(SyntaxError) -> [Record] {
            for byte in bytes { try take(byte) }
            defer { records.removeAll(keepingCapacity: true) }
            return records
        }

        /// Ends the input.
        /// - Returns: the last record, if the file does not end with a line break.
        /// - Throws: ``SyntaxError`` when a quoted field is never closed.
        package mutating func finish() throws(SyntaxError) -> [Record] {
            if quoteInQuotes {
                quoteInQuotes = false
                inQuotes = false
                afterQuote = true
            }
            if inQuotes {
                throw SyntaxError(line: recordLine, problem: "a quoted field is never closed; add the closing quote")
            }
            if !field.isEmpty || !fields.isEmpty || afterQuote { try endRecord() }
            defer { records.removeAll() }
            return records
        }

        private static let quote = UInt8(ascii: "\"")
        private static let comma = UInt8(ascii: ",")
        private static let cr = UInt8(ascii: "\r")
        private static let lf = UInt8(ascii: "\n")
        private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

        private mutating func take(_ byte: UInt8) throws(SyntaxError) {
            if atStart {
                // Hold back what may be a byte-order mark until it is complete or proven not to be one.
                field.append(byte)
                if field == Self.byteOrderMark {
                    field.removeAll()
                    atStart = false
                } else if !Self.byteOrderMark.starts(with: field) {
                    let held = field
                    field.removeAll()
                    atStart = false
                    for byte in held { try take(byte) }
                }
                return
            }
            if afterCR {
                afterCR = false
                if byte == Self.lf { return }
            }
            if quoteInQuotes {
                quoteInQuotes = false
                if byte == Self.quote {
                    field.append(Self.quote)
                    return
                }
                inQuotes = false
                afterQuote = true
            }
            if inQuotes {
                if byte == Self.quote {
                    quoteInQuotes = true
                } else {
                    if byte == Self.lf { line += 1 }
                    field.append(byte)
                }
                return
            }
            switch byte {
            case Self.comma:
                try endField()
            case Self.cr, Self.lf:
                try endRecord()
                line += 1
                recordLine = line
                afterCR = byte == Self.cr
            case Self.quote:
                guard field.isEmpty, !afterQuote else {
                    throw SyntaxError(
                        line: line,
                        problem: "a quote inside an unquoted field; quote the whole field and double the quote")
                }
                inQuotes = true
            default:
                if afterQuote {
                    throw SyntaxError(
                        line: line, problem: "text after a closing quote; put the whole field inside the quotes")
                }
                field.append(byte)
            }
        }

        private mutating func endField() throws(SyntaxError) {
            if checkingOnly {
                if !field.allSatisfy({ $0 < 0x80 }), String(validating: field, as: UTF8.self) == nil {
                    throw SyntaxError(
                        line: line, problem: "a field is not valid UTF-8 text; save the file as UTF-8 and try again")
                }
                field.removeAll(keepingCapacity: true)
                afterQuote = false
                return
            }
            // Most fields are ASCII: no validation needed, and none of its generic machinery.
            let text: String? =
                field.allSatisfy { $0 < 0x80 }
                ? String(decoding: field, as: UTF8.self) : String(validating: field, as: UTF8.self)
            guard let text else {
                throw SyntaxError(
                    line: line, problem: "a field is not valid UTF-8 text; save the file as UTF-8 and try again")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }

        private mutating func endRecord() throws(SyntaxError) {
            try endField()
            if checkingOnly { return }
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
    }
}
