/// The template files of one sequence step.
public struct StepTemplates: Sendable {
    /// The sequence's id (its directory name).
    public let sequence: String
    /// The step's id (the file names' first part).
    public let step: String
    /// `<step>.subject.mustache`.
    public let subject: TemplateFile
    /// `<step>.text.mustache`.
    public let text: TemplateFile
    /// `<step>.html.mustache`, when the step has an HTML body.
    public let html: TemplateFile?

    /// The files, subject first.
    public var files: [TemplateFile] {
        [subject, text] + (html.map { [$0] } ?? [])
    }
}
