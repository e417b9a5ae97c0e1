/// Every problem found in a configuration or lead file, in file order; never empty when thrown.
public struct ConfigurationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, each naming file, line, column and field.
    public var problems: [ConfigurationProblem]

    /// Wraps a list of problems.
    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
