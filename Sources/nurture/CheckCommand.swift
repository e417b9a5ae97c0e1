import ArgumentParser
import Foundation
import NurtureApp
import NurtureConfig
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
    static func check(file: String) -> TemplateCheck {
        TemplateCheck.check(file: file, renderer: MessageBuilder.checkRenderer)
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
