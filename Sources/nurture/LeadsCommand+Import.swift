import ArgumentParser
import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore

extension LeadsCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or update leads from a CSV file with a header row.",
            discussion: """
                Columns: email (required), first_name, last_name, company, title, time_zone, stage, source, \
                owner, vision, budget, need, authority, timeframe, unsubscribed, bounced; any other column \
                becomes a template attribute (its name: letters, digits, underscores). The rules are those of \
                `nurture leads add` and the HTTP API. Each bad row is reported as FILE:LINE: field: problem; fix, \
                and skipped; the good rows are kept. Exits 1 when any row was rejected.
                """)
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            // A first pass checks the whole file's CSV syntax, so a broken file imports nothing; the second
            // imports it. Both stream the file: memory holds one batch of rows, whatever the file's size.
            var header: CSV.Record?
            do {
                try await Self.read(file, checkingOnly: true) { _ in }
                try await Self.read(file) { record in
                    header = record
                    throw EndOfReading()
                }
            } catch is EndOfReading {
            } catch let error as CSV.SyntaxError {
                printError("\(file):\(error.line): \(error.problem)")
                throw ExitCode.failure
            }
            guard let header else {
                printError("\(file): the file is empty; the first line must name the columns, e.g. email,first_name")
                throw ExitCode.failure
            }
            let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard columns.contains("email") else {
                printError("\(file):\(header.line): no `email` column; the first line must name the columns")
                throw ExitCode.failure
            }
            if let twice = columns.enumerated().first(where: { columns[..<$0.offset].contains($0.element) }) {
                printError(
                    "\(file):\(header.line): column `\(twice.element)` is named twice (column \(twice.offset + 1));"
                        + " name each column once")
                throw ExitCode.failure
            }
            try await StoreLocation.withStore(config: config.config, stateDirectory: stateDirectory.path) {
                configuration, opened in
                try await importRows(
                    header: header, columns: columns, store: opened.store, configuration: configuration)
            }
        }

        /// Imports the rows after `header`, reporting each rejected row, then prints the summary.
        private func importRows(
            header: CSV.Record, columns: [String], store: any SendStore, configuration: NurtureConfiguration
        ) async throws {
            var importer = LeadImporter(store: store, configuration: configuration)
            var malformed = 0
            func report(_ rejections: [LeadImporter.Rejection]) {
                for rejection in rejections {
                    let who = rejection.email.map { " (\(PrintableText.escaped($0)))" } ?? ""
                    for problem in rejection.problems { printError("\(file):\(rejection.line)\(who): \(problem)") }
                }
            }
            try await Self.read(file) { record in
                guard record.line != header.line else { return }
                guard record.fields.count == columns.count else {
                    printError(
                        "\(file):\(record.line): \(record.fields.count) fields, but the header has \(columns.count);"
                            + " quote fields that contain commas")
                    malformed += 1
                    return
                }
                let values = Dictionary(zip(columns, record.fields), uniquingKeysWith: { first, _ in first })
                report(try await importer.add(LeadImporter.Row(line: record.line, values: values), at: Date()))
            }
            report(try await importer.flush(at: Date()))
            let summary = importer.summary
            let rejected = summary.rejected + malformed
            print("\(file): \(summary.created) created, \(summary.updated) updated, \(rejected) rejected")
            if rejected > 0 { throw ExitCode.failure }
        }

        /// Stops ``read(_:checkingOnly:_:)`` early.
        struct EndOfReading: Error {}

        /// Streams the CSV records of `file` to `body`, a megabyte at a time (with `checkingOnly`, only checks
        /// the syntax and calls `body` for no record).
        /// - Throws: ``CSV/SyntaxError`` for a malformed file, `ExitCode.failure` after saying why it cannot be
        ///   read, and whatever `body` throws.
        static func read(
            _ file: String, checkingOnly: Bool = false, _ body: (CSV.Record) async throws -> Void
        ) async throws {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                printError("\(file): cannot open it; check the path and that this user may read it")
                throw ExitCode.failure
            }
            defer { try? handle.close() }
            var parser = CSV.Parser(checkingOnly: checkingOnly)
            while true {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                } catch {
                    printError("\(file): cannot read it: \(error.localizedDescription)")
                    throw ExitCode.failure
                }
                if chunk.isEmpty { break }
                for record in try chunk.withUnsafeBytes({ bytes in try parser.feed(bytes) }) { try await body(record) }
            }
            for record in try parser.finish() { try await body(record) }
        }
    }
}
