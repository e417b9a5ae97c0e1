import ArgumentParser
import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureSQLite

/// `nurture leads`: create and change leads. Changes go straight to the store; a running daemon picks them
/// up on its next pass (within a second), so no restart is needed.
struct LeadsCommand: AsyncParsableCommand {
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
        @Option(help: "One of: \(Stage.allNames).") var stage: Stage?
        @Option(help: "inbound or outbound.") var source: LeadSource?
        @Option(help: "Salesperson id (one of the configured salespeople), or `none`.") var owner: String?
        @Option(help: "VBANT vision: yes, no or unknown.") var vision: CriterionStatus?
        @Option(help: "VBANT budget: yes, no or unknown.") var budget: CriterionStatus?
        @Option(help: "VBANT need: yes, no or unknown.") var need: CriterionStatus?
        @Option(help: "VBANT authority: yes, no or unknown.") var authority: CriterionStatus?
        @Option(help: "VBANT timeframe: yes, no or unknown.") var timeframe: CriterionStatus?
        @Option(help: "yes to unsubscribe the lead (ends its enrollment; nothing more is sent).")
        var unsubscribed: String?
        @Option(help: "yes to mark the address bounced (ends its enrollment; the address is suppressed).")
        var bounced: String?
        @Option(
            name: .customLong("attribute"),
            help: ArgumentHelp("A template attribute as key=value (repeatable).", valueName: "key=value"))
        var attributes: [String] = []

        func values(email: String) throws -> [String: String] {
            var values: [String: String] = ["email": email]
            let pairs: [(String, String?)] = [
                ("first_name", firstName), ("last_name", lastName), ("company", company), ("title", title),
                ("time_zone", timeZone), ("stage", stage?.rawValue), ("source", source?.rawValue), ("owner", owner),
                ("vision", vision?.rawValue), ("budget", budget?.rawValue), ("need", need?.rawValue),
                ("authority", authority?.rawValue), ("timeframe", timeframe?.rawValue),
                ("unsubscribed", unsubscribed), ("bounced", bounced),
            ]
            for (key, value) in pairs { if let value { values[key] = value } }
            for attribute in attributes {
                guard let equals = attribute.firstIndex(of: "="), equals != attribute.startIndex else {
                    throw ValidationError("--attribute \(attribute): write key=value, e.g. --attribute industry=retail")
                }
                let key = String(attribute[..<equals])
                // A lead field is set with its own option, never through an attribute; a repeated key is ambiguous.
                guard !LeadInput.knownKeys.contains(key), values[key] == nil else {
                    throw ValidationError(
                        "--attribute \(attribute): `\(key)` is "
                            + (values[key] == nil ? "a lead field; use its own option" : "given twice; give it once"))
                }
                values[key] = String(attribute[attribute.index(after: equals)...])
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
                mode: .create)
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
                mode: .update)
        }
    }

    /// Checks `values` by the intake rules and saves them through ``LeadIntake`` (stage machine, enrollments,
    /// audit, one transaction), then prints what changed.
    static func save(
        values: [String: String], config: String, stateDirectory: String?, mode: LeadIntake.Mode
    ) async throws {
        let address = try address(values["email"] ?? "")
        try await StoreLocation.withStore(config: config, stateDirectory: stateDirectory) { configuration, opened in
            do throws(LeadIntake.Failure) {
                let change = try await LeadIntake(store: opened.store, configuration: configuration)
                    .save(values, mode: mode, at: Date())
                print("\(change.created ? "added" : "updated") \(change.lead.email)")
                for note in change.notes { print("  \(note)") }
            } catch {
                switch error {
                case .invalid(let problems): for problem in problems.all { printError("\(address): \(problem)") }
                case .store(let error): printError("cannot change \(address) in the store \(opened.name): \(error)")
                case .exists, .missing: printError("\(error)")
                }
                throw ExitCode.failure
            }
        }
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
