/// One place where a template names a variable, e.g. `{{lead.first_name}}` on line 3, column 14.
package struct VariableReference: Sendable, Hashable {
    /// How the tag uses the variable.
    package enum Usage: String, Sendable, Hashable {
        /// `{{name}}`: the value is written out and must be present.
        case value
        /// `{{#name}}...{{/name}}`: the text inside is used only when the value is present.
        case section
        /// `{{^name}}...{{/name}}`: the text inside is used only when the value is absent.
        case invertedSection
        /// `{{#default.name}}fallback{{/default.name}}`: the value, or the fallback text when it is absent.
        case defaultValue
    }

    /// The dotted variable name, without any `default.` prefix or transform, e.g. `lead.company`; `.` for the
    /// current section value.
    package var name: String
    /// How the tag uses it.
    package var usage: Usage
    /// The 1-based line of the tag.
    package var line: Int
    /// The 1-based column (in characters) where the tag starts.
    package var column: Int

    /// Makes a reference.
    package init(name: String, usage: Usage, line: Int, column: Int) {
        self.name = name
        self.usage = usage
        self.line = line
        self.column = column
    }
}
