import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSQLite
import NurtureTemplates

/// `nurture render`: prints the exact message one step would send to one lead, without sending it.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the exact message a step would send to a lead (headers included), without sending.",
        discussion: """
            The lead is an email address of a lead in the store, or a small YAML or JSON file (keys: email, \
            first_name, last_name, company, title, time_zone, stage, source, owner, qualification, attributes), \
            e.g. config/examples/dana.yaml.

            Marketing steps are From the marketing sender and carry List-Unsubscribe headers and the footer; \
            sales steps are From the lead's owner and end with the owner's signature. A missing value is an \
            error naming the template, line and variable: nothing is ever rendered with an empty gap.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Option(
        help: ArgumentHelp("A lead in the store (its email address), or a YAML or JSON lead file.", valueName: "lead"))
    var lead: String

    @Option(help: ArgumentHelp("The sequence id, e.g. inbound-sales.", valueName: "id"))
    var sequence: String

    @Option(help: ArgumentHelp("The step id, e.g. intro.", valueName: "id"))
    var step: String

    @Flag(help: "Print only the rendered HTML document (to preview in a browser) instead of the message.")
    var html = false

    @Option(help: ArgumentHelp("The Date to write, ISO 8601 (default: now).", valueName: "date"))
    var date: String?

    func run() async throws {
        let when: Date
        if let date {
            guard let parsed = try? Date(date, strategy: .iso8601) else {
                throw ValidationError("--date \(date) is not an ISO 8601 date-time, e.g. 2026-01-05T09:30:00Z")
            }
            when = parsed
        } else {
            when = Date()
        }
        do {
            let configuration = try ConfigurationLoader().load(file: options.config)
            let leadValue: Lead
            if !FileManager.default.fileExists(atPath: lead), let address = try? EmailAddress(lead) {
                leadValue = try await StoreLocation.withStore(
                    config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
                ) { _, opened in
                    guard let stored = try await opened.store.lead(address) else {
                        printError(
                            "--lead \(lead): no such lead in the store \(opened.name);"
                                + " add it with `nurture leads add`, or pass a lead file (see config/examples/dana.yaml)"
                        )
                        throw ExitCode.failure
                    }
                    return stored
                }
            } else {
                leadValue = try LeadFile.load(file: lead)
            }
            let library: TemplateLibrary
            do {
                library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
            } catch {
                for problem in error.errors { printError("\(problem)") }
                throw ExitCode.failure
            }
            let builder = MessageBuilder(configuration: configuration, library: library)
            if let step = configuration.sequence(id: sequence)?.step(id: step), let condition = step.condition,
                !condition.matches(leadValue)
            {
                printError("note: the daemon would skip this step for this lead (condition: \(condition))")
            }
            let built: MessageBuilder.Built
            do {
                built = try builder.build(
                    lead: leadValue, sequenceID: sequence, stepID: step, date: when,
                    unique: try MessageIDRandomness.unique())
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
            if html {
                guard let document = built.rendered.html else {
                    printError("step `\(step)` of `\(sequence)` has no HTML template; drop --html to see the message")
                    throw ExitCode.failure
                }
                FileHandle.standardOutput.write(Data(document.utf8))
            } else {
                FileHandle.standardOutput.write(Data(built.bytes))
            }
        } catch let error as ConfigurationErrors {
            for problem in error.problems { printError("\(problem)") }
            throw ExitCode.failure
        }
    }
}
