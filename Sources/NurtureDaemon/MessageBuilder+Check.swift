import Foundation
package import NurtureApp
package import NurtureConfig
import NurtureCore
package import NurtureTemplates

/// The template check's renderer: each step built exactly as a send would build it, so `nurture check`, the
/// daemon's start and a reload accept the same templates.
extension MessageBuilder {
    /// Renders a step with a ``MessageBuilder`` for `configuration` and `library`, as a send would.
    package static func checkRenderer(
        _ configuration: NurtureConfiguration, _ library: TemplateLibrary
    ) -> TemplateCheck.Renderer {
        let builder = MessageBuilder(configuration: configuration, library: library)
        return { lead, sequence, step, date in
            _ = try builder.build(lead: lead, sequenceID: sequence, stepID: step, date: date, unique: "check")
        }
    }

    /// Every template problem for `configuration` (syntax, unknown variables, rendering each step), as
    /// `nurture check` reports them; empty when none.
    package static func templateProblems(_ configuration: NurtureConfiguration) -> [String] {
        TemplateCheck.templates(configuration, renderer: checkRenderer).problems
    }
}
