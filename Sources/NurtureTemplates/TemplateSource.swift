/// The text of one template file and the path it is reported under.
public struct TemplateSource: Sendable, Hashable {
    /// The path relative to the templates directory's parent, e.g. `templates/inbound-sales/intro.text.mustache`.
    public var path: String
    /// The file's contents.
    public var text: String

    /// Makes a source from a path and its text.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}
