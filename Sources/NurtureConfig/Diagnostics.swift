internal import Yams

/// Collects problems while one file is read, each placed at a YAML node's line and column.
final class Diagnostics {
    /// The file as the operator named it.
    let file: String
    /// Problems in the order found.
    private(set) var problems: [ConfigurationProblem] = []
    /// Warnings in the order found.
    private(set) var warnings: [ConfigurationProblem] = []

    init(file: String) {
        self.file = file
    }

    /// Records a problem at `node` (or at the top of the file when it has no mark).
    func report(_ node: Node?, _ field: String, _ problem: String, fix: String) {
        problems.append(makeProblem(at: node, field, problem, fix: fix))
    }

    /// Records a warning at `node`.
    func warn(_ node: Node?, _ field: String, _ problem: String, fix: String) {
        warnings.append(makeProblem(at: node, field, problem, fix: fix))
    }

    private func makeProblem(at node: Node?, _ field: String, _ problem: String, fix: String) -> ConfigurationProblem {
        ConfigurationProblem(
            file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, field: field, problem: problem,
            fix: fix)
    }

    /// Problems sorted by position (stable for equal positions), as `check` prints them.
    var sortedProblems: [ConfigurationProblem] {
        problems.enumerated().sorted { lhs, rhs in
            (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
                < (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
        }.map(\.element)
    }

    /// Parses YAML text into its root node, reporting a syntax error with its position.
    func compose(_ text: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                report(nil, "", "the file is empty", fix: "start from the commented example config/nurture.yaml")
                return nil
            }
            return root
        } catch let error as YamlError {
            let (line, column, message) = Self.describe(error)
            problems.append(
                ConfigurationProblem(
                    file: file, line: line, column: column, field: "", problem: "invalid YAML: \(message)",
                    fix: "fix the YAML syntax here (indent with spaces, quote values containing ': ' or '#')"))
            return nil
        } catch {
            report(nil, "", "invalid YAML: \(error)", fix: "fix the YAML syntax")
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> (Int, Int, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let about = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
            return (mark.line, mark.column, about + problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (
                context.mark.line, context.mark.column,
                "the key `\(duplicates.first ?? "?")` appears more than once in one mapping"
            )
        case .reader(let problem, _, _, _):
            return (1, 1, problem)
        default:
            return (1, 1, "\(error)")
        }
    }
}
