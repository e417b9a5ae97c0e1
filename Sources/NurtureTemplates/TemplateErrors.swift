/// Every problem found while loading or checking templates, in file order; never empty when thrown.
package struct TemplateErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, each naming its file, line and column.
    package var errors: [TemplateError]

    /// Wraps a list of problems.
    package init(_ errors: [TemplateError]) {
        self.errors = errors
    }

    /// One problem per line.
    package var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
