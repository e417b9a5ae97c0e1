import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureTemplates

/// The console's template preview, made with the daemon's ``MessageBuilder``: the templates are read from disk on
/// every request, so an edit shows without a reload (sending keeps the templates loaded at the last reload).
enum ConsolePreviewer {
    /// Renders `request` under `configuration` dated `now`.
    static func preview(_ request: ConsolePreview.Request, configuration: NurtureConfiguration, now: Date)
        -> ConsolePreview
    {
        let library: TemplateLibrary
        do {
            library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
        } catch {
            return ConsolePreview(problems: error.errors.map { "\($0)" })
        }
        let sequence = configuration.sequence(id: request.sequence)
        let lead =
            request.lead
            ?? TemplateCheck.syntheticLead(
                track: sequence?.track ?? .marketing, owner: configuration.salespeople.first?.id)
        let builder = MessageBuilder(configuration: configuration, library: library)
        do {
            let built = try builder.build(
                lead: lead, sequenceID: request.sequence, stepID: request.step, date: now,
                unique: try MessageIDRandomness.unique())
            return ConsolePreview(
                headers: ConsolePreview.headers(of: built.bytes), subject: built.rendered.subject,
                text: built.rendered.text, html: built.rendered.html)
        } catch {
            return ConsolePreview(problems: ["\(error)"])
        }
    }
}
