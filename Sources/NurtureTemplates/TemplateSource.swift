/// The text of one template file and the path it is reported under.
package struct TemplateSource: Sendable, Hashable {
    /// The path relative to the templates directory's parent, e.g. `templates/inbound-sales/intro.text.mustache`.
    package var path: String
    /// The file's contents.
    package var text: String

    /// Makes a source from a path and its text.
    package init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
