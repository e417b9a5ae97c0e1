/// Walks a template's tags against one context and finds the first value it would write out that is missing.
///
/// It follows the sections the way Mustache renders them: tags inside `{{#lead.company}}` count only when the
/// company is present, tags inside `{{^lead.company}}` only when it is absent, and a `{{#default.name}}`
/// section's fallback only when the value is absent. So the error names the exact tag, file, line and column.
struct StrictnessCheck {
    let context: TemplateContext
    /// The partials of the kind being rendered, by name.
    let partials: [String: TemplateFile]
    /// Where a missing partial's file is expected, e.g. `templates/partials/<name>.text.mustache`.
    let expectedPartialPath: @Sendable (String) -> String

    /// The first problem rendering `file` would have, or `nil`.
    func firstProblem(in file: TemplateFile) -> TemplateError? {
        walk(file.nodes, file: file.path, scopes: [.group(context.values)], chain: [])
    }

    private func walk(_ nodes: [TemplateNode], file: String, scopes: [TemplateValue], chain: [String])
        -> TemplateError?
    {
        for node in nodes {
            switch node {
            case .value(let reference):
                switch resolve(reference.name, scopes: scopes) {
                case .text(let text)? where TemplateValue.text(text).isPresent:
                    continue
                case .group?:
                    return .notAValue(
                        file: file, line: reference.line, column: reference.column,
                        variable: reference.name)
                default:
                    return .missingVariable(
                        file: file, line: reference.line, column: reference.column,
                        variable: reference.name)
                }
            case .section(let reference, let children, let isEmpty):
                let value = resolve(reference.name, scopes: scopes)
                let isPresent = value?.isPresent ?? false
                let problem: TemplateError?
                switch reference.usage {
                case .section:
                    problem = isPresent ? walk(children, file: file, scopes: scopes + [value!], chain: chain) : nil
                case .invertedSection:
                    problem = isPresent ? nil : walk(children, file: file, scopes: scopes, chain: chain)
                case .defaultValue, .value:
                    if case .text(let text)? = value, TemplateValue.text(text).isPresent {
                        problem = nil
                    } else if isEmpty {
                        problem = .missingVariable(
                            file: file, line: reference.line, column: reference.column,
                            variable: reference.name)
                    } else {
                        problem = walk(children, file: file, scopes: scopes, chain: chain)
                    }
                }
                if let problem { return problem }
            case .partial(let reference):
                guard let partial = partials[reference.name] else {
                    return .unknownPartial(
                        file: file, line: reference.line, column: reference.column,
                        partial: reference.name, expected: expectedPartialPath(reference.name))
                }
                guard !chain.contains(reference.name) else { continue }
                if let problem = walk(
                    partial.nodes, file: partial.path, scopes: scopes,
                    chain: chain + [reference.name])
                {
                    return problem
                }
            }
        }
        return nil
    }

    /// Looks a name up as swift-mustache does through ``ContextNode``: `.` is the innermost section value; other
    /// names are looked up in the innermost group on the stack (text values have no children and are skipped).
    private func resolve(_ name: String, scopes: [TemplateValue]) -> TemplateValue? {
        if name == "." { return scopes.last }
        if name.hasPrefix(".") {
            return scopes.last?.value(at: TemplateContext.components(of: String(name.dropFirst()))[...])
        }
        let parts = TemplateContext.components(of: name)
        for scope in scopes.reversed() {
            if case .group = scope {
                return scope.value(at: parts[...])
            }
        }
        return nil
    }
}
