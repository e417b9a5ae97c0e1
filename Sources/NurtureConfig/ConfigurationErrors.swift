/// Every problem found in a configuration or lead file, in file order; never empty when thrown.
package struct ConfigurationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, each naming file, line, column and field.
    package var problems: [ConfigurationProblem]

    /// Wraps a list of problems.
    package init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    package var description: String { problems.map(\.description).joined(separator: "\n") }
}
