import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureTemplates

/// `nurture check`: validates the configuration and every template, and renders every step.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and every template; render every step for a made-up lead.",
        discussion: """
            Checks the configuration file (unknown keys, types, addresses, time zones, windows, delays, rules, \
            salespeople, secrets) and the templates directory (syntax, unknown variables, missing partials), \
            then renders and composes every step of every sequence: marketing steps for a made-up subscriber, \
            sales steps once for each salesperson as the owner.

            Every problem is printed on its own line as `file:line:column: field: problem; fix`. \
            Exits 0 only when there is no problem; warnings do not fail the check.
            """)

    @OptionGroup var options: ConfigOption

    func run() throws {
        let outcome = Self.check(file: options.config)
        for warning in outcome.warnings { printError("warning: \(warning)") }
        for problem in outcome.problems { printError(problem) }
        guard outcome.problems.isEmpty else {
            let count = outcome.problems.count
            if !outcome.summary.isEmpty { printError(outcome.summary) }
            printError("\(count) problem\(count == 1 ? "" : "s") found; \(options.config) is not valid")
            throw ExitCode.failure
        }
        print(outcome.summary)
    }

    /// Warnings, problems and the summary line for one configuration file.
    static func check(file: String) -> (warnings: [String], problems: [String], summary: String) {
        let configuration: NurtureConfiguration
        do {
            configuration = try ConfigurationLoader().load(file: file)
        } catch {
            // Still report template syntax and unknown variables; rendering needs a valid configuration.
            var problems = error.problems.map(\.description)
            if let directory = ConfigurationLoader().templatesDirectory(file: file) {
                let (sources, readErrors) = TemplateLibrary.readSources(directory: directory)
                let (library, parseErrors) = TemplateLibrary.parse(sources)
                problems += (readErrors + parseErrors + library.unknownVariables()).map(\.description)
            }
            return ([], problems, "note: steps are test-rendered once the configuration is valid")
        }
        let result = checkTemplates(configuration)
        return (configuration.warnings.map(\.description), result.problems, result.summary)
    }

    /// Every template problem (syntax, unknown variables, rendering each step), and a one-line summary.
    static func checkTemplates(_ configuration: NurtureConfiguration) -> (problems: [String], summary: String) {
        let (sources, readErrors) = TemplateLibrary.readSources(directory: configuration.templatesDirectory)
        let (library, parseErrors) = TemplateLibrary.parse(sources)
        var problems = (readErrors + parseErrors + library.unknownVariables()).map(\.description)
        let builder = MessageBuilder(configuration: configuration, library: library)
        let date = Date(timeIntervalSince1970: 1_767_600_000)
        var renders = 0
        for sequence in configuration.sequences {
            let owners: [Salesperson?] = sequence.track == .sales ? configuration.salespeople : [nil]
            for step in sequence.steps {
                for owner in owners {
                    let lead = syntheticLead(track: sequence.track, owner: owner?.id)
                    do {
                        _ = try builder.build(
                            lead: lead, sequenceID: sequence.id, stepID: step.id, date: date, unique: "check")
                        renders += 1
                    } catch {
                        let who = owner.map { " (sent as salesperson `\($0.id)`)" } ?? ""
                        let line = "\(error)" + (who.isEmpty || "\(error)".contains("owner") ? "" : who)
                        if !problems.contains(line) { problems.append(line) }
                    }
                }
            }
        }
        let steps = configuration.sequences.reduce(0) { $0 + $1.steps.count }
        let summary =
            "\(configuration.file): OK — \(configuration.sequences.count) sequences, \(steps) steps,"
            + " \(configuration.salespeople.count) salespeople, \(sources.count) template files,"
            + " \(renders) test renders"
        return (problems, summary)
    }

    /// A made-up lead with every field filled: a subscriber for marketing, a sales-qualified inbound lead
    /// owned by `owner` for sales.
    static func syntheticLead(track: Track, owner: String?) -> Lead {
        Lead(
            email: try! EmailAddress("dana.whitfield@example.com"), firstName: "Dana", lastName: "Whitfield",
            company: "Northwind Logistics", title: "Head of Operations", timeZone: "America/Chicago",
            stage: track == .sales ? .salesQualified : .subscriber, source: .inbound, owner: owner,
            qualification: track == .sales
                ? Qualification(vision: .yes, budget: .yes, need: .yes, authority: .yes, timeframe: .yes) : .unknown,
            attributes: ["industry": "logistics", "team_size": "40", "use_case": "delivery-time reporting"])
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
