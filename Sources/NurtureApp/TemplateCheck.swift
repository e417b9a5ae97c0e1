package import Foundation
package import NurtureConfig
package import NurtureCore
package import NurtureTemplates

/// What `nurture check` finds in a configuration file and its templates: warnings, problems (each a line
/// `file:line:column: field: problem; fix`) and a one-line summary. The daemon runs the template part at start
/// and on reload.
///
/// Rendering a step needs the daemon's message builder; the caller passes it in (``Renderer``), so this use
/// case does not depend on the scheduler's module.
package struct TemplateCheck: Sendable {
    /// Builds one step's message for a lead at a date, throwing the problem it meets.
    package typealias Renderer = (_ lead: Lead, _ sequence: String, _ step: String, _ date: Date) throws -> Void
    /// Makes the ``Renderer`` for a configuration and its parsed templates.
    package typealias MakeRenderer = (NurtureConfiguration, TemplateLibrary) -> Renderer

    package var warnings: [String]
    package var problems: [String]
    package var summary: String

    /// Checks the configuration file, then (when it is valid) every template: syntax, unknown variables, and
    /// rendering every step of every sequence for a made-up lead (sales steps once per salesperson as owner).
    package static func check(file: String, renderer: MakeRenderer) -> TemplateCheck {
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
            return TemplateCheck(
                warnings: [], problems: problems,
                summary: "note: steps are test-rendered once the configuration is valid")
        }
        let result = templates(configuration, renderer: renderer)
        return TemplateCheck(
            warnings: configuration.warnings.map(\.description), problems: result.problems, summary: result.summary)
    }

    /// Every template problem (syntax, unknown variables, rendering each step), and a one-line summary.
    package static func templates(
        _ configuration: NurtureConfiguration, renderer makeRenderer: MakeRenderer
    ) -> (problems: [String], summary: String) {
        let (sources, readErrors) = TemplateLibrary.readSources(directory: configuration.templatesDirectory)
        let (library, parseErrors) = TemplateLibrary.parse(sources)
        var problems = (readErrors + parseErrors + library.unknownVariables()).map(\.description)
        let render = makeRenderer(configuration, library)
        let date = Date(timeIntervalSince1970: 1_767_600_000)
        var renders = 0
        for sequence in configuration.sequences {
            let owners: [Salesperson?] = sequence.track == .sales ? configuration.salespeople : [nil]
            for step in sequence.steps {
                for owner in owners {
                    let lead = syntheticLead(track: sequence.track, owner: owner?.id)
                    do {
                        try render(lead, sequence.id, step.id, date)
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
    package static func syntheticLead(track: Track, owner: String?) -> Lead {
        Lead(
            email: try! EmailAddress("dana.whitfield@example.com"), firstName: "Dana", lastName: "Whitfield",
            company: "Northwind Logistics", title: "Head of Operations", timeZone: "America/Chicago",
            stage: track == .sales ? .salesQualified : .subscriber, source: .inbound, owner: owner,
            qualification: track == .sales
                ? Qualification(vision: .yes, budget: .yes, need: .yes, authority: .yes, timeframe: .yes) : .unknown,
            attributes: ["industry": "logistics", "team_size": "40", "use_case": "delivery-time reporting"])
    }
}
