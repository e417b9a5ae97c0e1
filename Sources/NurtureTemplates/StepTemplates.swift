/// The template files of one sequence step.
package struct StepTemplates: Sendable {
    /// The sequence's id (its directory name).
    package let sequence: String
    /// The step's id (the file names' first part).
    package let step: String
    /// `<step>.subject.mustache`.
    package let subject: TemplateFile
    /// `<step>.text.mustache`.
    package let text: TemplateFile
    /// `<step>.html.mustache`, when the step has an HTML body.
    package let html: TemplateFile?

    /// The files, subject first.
    package var files: [TemplateFile] {
        [subject, text] + (html.map { [$0] } ?? [])
    }
}
