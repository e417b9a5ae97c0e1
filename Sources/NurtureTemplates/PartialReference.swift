/// One place where a template includes a partial, e.g. `{{> signature}}` on line 9, column 1.
package struct PartialReference: Sendable, Hashable {
    /// The partial's name: its file name under `partials/` without `.text.mustache` / `.html.mustache`.
    package var name: String
    /// The 1-based line of the tag.
    package var line: Int
    /// The 1-based column (in characters) where the tag starts.
    package var column: Int

    /// Makes a reference.
    package init(name: String, line: Int, column: Int) {
        self.name = name
        self.line = line
        self.column = column
    }
}
