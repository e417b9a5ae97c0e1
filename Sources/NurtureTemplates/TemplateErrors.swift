/// Every problem found while loading or checking templates, in file order; never empty when thrown.
public struct TemplateErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, each naming its file, line and column.
    public var errors: [TemplateError]

    /// Wraps a list of problems.
    public init(_ errors: [TemplateError]) {
        self.errors = errors
    }

    /// One problem per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
