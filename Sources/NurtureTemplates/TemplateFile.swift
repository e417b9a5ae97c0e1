internal import Mustache

/// One parsed template file: its kind, the variables and partials it names, and the compiled template.
package struct TemplateFile: Sendable {
    /// The path relative to the templates directory's parent, e.g. `templates/inbound-sales/intro.text.mustache`.
    package let path: String
    /// Subject, text or HTML (from the file name).
    package let kind: TemplateKind
    /// Every variable the file names, with line and column, in file order (for `nurture check`).
    package let variables: [VariableReference]
    /// Every partial the file includes, with line and column, in file order.
    package let partials: [PartialReference]

    let nodes: [TemplateNode]
    let mustache: MustacheTemplate

    /// Parses a file, returning every syntax problem (all of them, each with line and column) or the file.
    static func parse(_ source: TemplateSource, kind: TemplateKind) -> Result<TemplateFile, TemplateErrors> {
        let scan = TemplateScanner.scan(source.text, file: source.path, kind: kind)
        guard scan.errors.isEmpty else { return .failure(TemplateErrors(scan.errors)) }
        // The pragma sits on a line of its own, which Mustache drops: the file's lines shift down by exactly one.
        let mustache: MustacheTemplate
        do {
            mustache = try MustacheTemplate(string: RenderScope.textPragma + "\n" + source.text)
        } catch let error as MustacheTemplate.ParserError {
            return .failure(
                TemplateErrors([
                    .syntax(
                        file: source.path, line: max(1, error.context.lineNumber - 1),
                        column: error.context.columnNumber, problem: Self.describe(error.error),
                        fix: "compare the tag with the Mustache syntax in docs/templates.md")
                ]))
        } catch {
            return .failure(
                TemplateErrors([
                    .syntax(
                        file: source.path, line: 1, column: 1, problem: "cannot parse the template: \(error)",
                        fix: "compare the file with the Mustache syntax in docs/templates.md")
                ]))
        }
        return .success(
            TemplateFile(
                path: source.path, kind: kind, variables: TemplateNode.variables(in: scan.nodes),
                partials: TemplateNode.partials(in: scan.nodes), nodes: scan.nodes, mustache: mustache))
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: return "the closing tag does not match the section it closes"
        case .unfinishedName?: return "the tag is not closed properly"
        case .expectedSectionEnd?: return "a section is never closed"
        case .invalidSetDelimiter?: return "the delimiter change is not valid"
        default: return "swift-mustache cannot parse this tag (\(error))"
        }
    }
}
