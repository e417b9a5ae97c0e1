/// One problem in a configuration or lead file: where it is, which field, what is wrong and what to do.
package struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file as the operator named it, e.g. `config/nurture.yaml`.
    package var file: String
    /// 1-based line, when the problem has a place in the file.
    package var line: Int?
    /// 1-based column (in Unicode scalars), when the problem has a place in the file.
    package var column: Int?
    /// The field path, e.g. `sequences[1].steps[0].delay`; empty for the whole file.
    package var field: String
    /// What is wrong, in one clause.
    package var problem: String
    /// What to do about it, in one clause.
    package var fix: String

    /// Makes a problem.
    package init(file: String, line: Int?, column: Int?, field: String, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    /// `file:line:column: field: problem; fix`.
    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        let field = field.isEmpty ? "" : "\(field): "
        return "\(place): \(field)\(problem); \(fix)"
    }
}
