import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSQLite

/// `nurture leads`: create and change leads. Changes go straight to the store; a running daemon picks them
/// up on its next pass (within a second), so no restart is needed.
struct LeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads",
        abstract: "Create, change, import and inspect leads.",
        subcommands: [Add.self, Update.self, Import.self, Show.self, List.self, Unsuppress.self])

    /// The fields a lead can be given on the command line.
    struct LeadOptions: ParsableArguments {
        @Option var firstName: String?
        @Option var lastName: String?
        @Option var company: String?
        @Option var title: String?
        @Option(help: "IANA time zone, e.g. Europe/Berlin.") var timeZone: String?
        @Option(help: "One of: \(Stage.allNames).") var stage: String?
        @Option(help: "inbound or outbound.") var source: String?
        @Option(help: "Salesperson id, or `none`.") var owner: String?
        @Option(help: "VBANT vision: yes, no or unknown.") var vision: String?
        @Option(help: "VBANT budget: yes, no or unknown.") var budget: String?
        @Option(help: "VBANT need: yes, no or unknown.") var need: String?
        @Option(help: "VBANT authority: yes, no or unknown.") var authority: String?
        @Option(help: "VBANT timeframe: yes, no or unknown.") var timeframe: String?
        @Option(help: "yes to unsubscribe the lead (ends its enrollment; nothing more is sent).")
        var unsubscribed: String?
        @Option(
            name: .customLong("attribute"),
            help: ArgumentHelp("A template attribute as key=value (repeatable).", valueName: "key=value"))
        var attributes: [String] = []

        func values(email: String) throws -> [String: String] {
            var values: [String: String] = ["email": email]
            let pairs: [(String, String?)] = [
                ("first_name", firstName), ("last_name", lastName), ("company", company), ("title", title),
                ("time_zone", timeZone), ("stage", stage), ("source", source), ("owner", owner), ("vision", vision),
                ("budget", budget), ("need", need), ("authority", authority), ("timeframe", timeframe),
                ("unsubscribed", unsubscribed),
            ]
            for (key, value) in pairs { if let value { values[key] = value } }
            for attribute in attributes {
                guard let equals = attribute.firstIndex(of: "="), equals != attribute.startIndex else {
                    throw ValidationError("--attribute \(attribute): write key=value, e.g. --attribute industry=retail")
                }
                values[String(attribute[..<equals])] = String(attribute[attribute.index(after: equals)...])
            }
            return values
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a lead and enroll it by its stage and source.")
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Argument(help: "The lead's email address.") var email: String
        @OptionGroup var fields: LeadOptions

        func run() async throws {
            try await LeadsCommand.save(
                values: fields.values(email: email), config: config.config, stateDirectory: stateDirectory.path,
                mustExist: false)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a lead: a new stage, owner or VBANT answer takes effect at once.")
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Argument(help: "The lead's email address.") var email: String
        @OptionGroup var fields: LeadOptions

        func run() async throws {
            try await LeadsCommand.save(
                values: fields.values(email: email), config: config.config, stateDirectory: stateDirectory.path,
                mustExist: true)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or update leads from a CSV file with a header row.",
            discussion: """
                Columns: email (required), first_name, last_name, company, title, time_zone, stage, source, \
                owner, vision, budget, need, authority, timeframe, unsubscribed; any other column becomes a \
                template attribute. Each bad row is reported as FILE:LINE: field: problem; fix, and skipped; \
                the good rows are kept. Exits 1 when any row was rejected.
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
            let (configuration, store) = try StoreLocation.open(
                config: config.config, stateDirectory: stateDirectory.path)
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

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a lead and its audit trail.")
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Argument(help: "The lead's email address.") var email: String

        func run() async throws {
            let address = try LeadsCommand.address(email)
            let (_, store) = try StoreLocation.open(
                config: config.config, stateDirectory: stateDirectory.path, access: .readOnly)
            guard let lead = try await store.lead(address) else {
                printError("no lead \(email) in the store (check the address, or add it with `nurture leads add`)")
                throw ExitCode.failure
            }
            print(LeadsCommand.describe(lead))
            let enrollments = try await store.enrollments(for: address)
            if !enrollments.isEmpty { print("enrollments:") }
            for enrollment in enrollments {
                let end = enrollment.endedAt.map {
                    "ended \(ScheduleTime.describe($0)) (\(enrollment.endReason?.description ?? "?"))"
                }
                print(
                    "  \(enrollment.sequence): started \(ScheduleTime.describe(enrollment.startedAt)), \(end ?? "active")"
                )
            }
            print("history:")
            for entry in try await store.audit(for: address) {
                print("  \(ScheduleTime.describe(entry.at))  \(entry.kind): \(entry.detail)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List leads by address.")
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Option(help: "Only leads in this stage.") var stage: String?
        @Option(help: "At most this many.") var limit: Int = 100

        func run() async throws {
            let wanted = try stage.map { text -> Stage in
                guard let stage = Stage(rawValue: text) else {
                    throw ValidationError("--stage \(text): use one of \(Stage.allNames)")
                }
                return stage
            }
            let (_, store) = try StoreLocation.open(
                config: config.config, stateDirectory: stateDirectory.path, access: .readOnly)
            var after: EmailAddress?
            var shown = 0
            while shown < limit {
                let page = try await store.leads(after: after, limit: 500)
                if page.isEmpty { break }
                for lead in page where wanted == nil || lead.stage == wanted {
                    guard shown < limit else { break }
                    let flags = [lead.isUnsubscribed ? "unsubscribed" : nil, lead.hasBounced ? "bounced" : nil]
                        .compactMap { $0 }.joined(separator: ",")
                    print(
                        [lead.email.description, lead.stage.rawValue, lead.source.rawValue, lead.owner ?? "-", flags]
                            .joined(separator: "\t"))
                    shown += 1
                }
                after = page.last?.email
            }
        }
    }

    /// Validates, saves through the lead service (stage machine, enrollments, audit) and prints what changed.
    static func save(values: [String: String], config: String, stateDirectory: String?, mustExist: Bool) async throws {
        let address = try address(values["email"] ?? "")
        let (configuration, store) = try StoreLocation.open(config: config, stateDirectory: stateDirectory)
        let exists = try await store.lead(address) != nil
        if exists != mustExist {
            printError(
                exists
                    ? "\(address) already exists; change it with `nurture leads update \(address) ...`"
                    : "no lead \(address) in the store; add it with `nurture leads add \(address) ...`")
            throw ExitCode.failure
        }
        do {
            let change = try await apply(
                values, service: LeadService(store: store, configuration: configuration), configuration: configuration)
            print("\(change.created ? "added" : "updated") \(change.lead.email)")
            for note in change.notes { print("  \(note)") }
        } catch let problems as LeadInput.Problems {
            for problem in problems.all { printError("\(address): \(problem)") }
            throw ExitCode.failure
        }
    }

    /// Parses `values` onto the stored lead (if any), checks the owner against the configuration, and saves.
    static func apply(
        _ values: [String: String], service: LeadService, configuration: NurtureConfiguration
    ) async throws -> LeadService.Change {
        let email = LeadInput.trimmingWhitespace(values["email"] ?? "")
        let address = try? EmailAddress(email)
        let existing: Lead? = if let address { try await service.store.lead(address) } else { nil }
        let lead: Lead
        switch LeadImporter.parse(values, existing: existing, configuration: configuration) {
        case .success(let parsed): lead = parsed
        case .failure(let problems): throw problems
        }
        return try await service.upsert(lead, at: Date())
    }

    static func address(_ text: String) throws -> EmailAddress {
        do {
            return try EmailAddress(text)
        } catch {
            throw ValidationError("\(text.debugDescription) is not a usable email address: \(error)")
        }
    }

    static func describe(_ lead: Lead) -> String {
        var lines = ["\(lead.email)"]
        let name = lead.fullName.map { " \($0)" } ?? ""
        lines.append("  name:\(name)")
        if let company = lead.company { lines.append("  company: \(company)\(lead.title.map { ", \($0)" } ?? "")") }
        lines.append("  stage: \(lead.stage), source: \(lead.source), owner: \(lead.owner ?? "none")")
        lines.append("  time zone: \(lead.timeZone ?? "(owner's or default)")")
        let vbant = VBANTCriterion.allCases.map { "\($0)=\(lead.qualification[$0])" }.joined(separator: " ")
        lines.append("  VBANT: \(vbant)")
        if lead.isUnsubscribed { lines.append("  unsubscribed") }
        if lead.hasBounced { lines.append("  bounced") }
        for key in lead.attributes.keys.sorted() { lines.append("  attribute \(key): \(lead.attributes[key]!)") }
        return lines.joined(separator: "\n")
    }
}
