/// A problem with a template file, or with rendering one for a particular lead.
///
/// Every case names the file (relative to the templates directory's parent, e.g.
/// `templates/inbound-sales/intro.text.mustache`) and, where there is one, the line and column of the tag at
/// fault; `description` reads `file:line:column: problem; fix`.
package enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not valid Mustache, or uses a construct Nurture does not allow (e.g. `{{{ }}}` in HTML).
    case syntax(file: String, line: Int, column: Int, problem: String, fix: String)
    /// A variable the template outputs has no value (or only whitespace) for this lead.
    case missingVariable(file: String, line: Int, column: Int, variable: String)
    /// A variable the template outputs is a group such as `lead`, not a single value such as `lead.email`.
    case notAValue(file: String, line: Int, column: Int, variable: String)
    /// The template names a variable outside the agreed set (see ``TemplateVariables``).
    case unknownVariable(file: String, line: Int, column: Int, variable: String)
    /// The template includes a partial that has no file of the right kind under `partials/`.
    case unknownPartial(file: String, line: Int, column: Int, partial: String, expected: String)
    /// Partials include each other in a loop; `chain` lists the partial names in order.
    case partialCycle(file: String, line: Int, column: Int, chain: [String])
    /// A sequence step, or a partial the track needs, has no template file.
    case missingTemplate(file: String, needed: String)
    /// A `.mustache` file whose name does not follow the layout `<sequence>/<step>.<subject|text|html>.mustache`.
    case unrecognizedFile(file: String)
    /// A template file could not be read.
    case unreadable(file: String, reason: String)
    /// The rendered subject is empty once line breaks and surrounding spaces are removed.
    case emptySubject(file: String)
    /// A link of the rendered HTML uses a scheme mail may not carry (``LinkCheck``), e.g. a lead's value
    /// `javascript:...` in an `href`.
    case refusedLink(file: String, attribute: String, scheme: String)

    /// The template file involved, relative to the templates directory's parent.
    package var file: String {
        switch self {
        case .syntax(let file, _, _, _, _), .missingVariable(let file, _, _, _), .notAValue(let file, _, _, _),
            .unknownVariable(let file, _, _, _), .unknownPartial(let file, _, _, _, _),
            .partialCycle(let file, _, _, _), .missingTemplate(let file, _), .unrecognizedFile(let file),
            .unreadable(let file, _), .emptySubject(let file), .refusedLink(let file, _, _):
            return file
        }
    }

    /// The 1-based line of the tag at fault, when the problem has a place in the file.
    package var line: Int? {
        switch self {
        case .syntax(_, let line, _, _, _), .missingVariable(_, let line, _, _), .notAValue(_, let line, _, _),
            .unknownVariable(_, let line, _, _), .unknownPartial(_, let line, _, _, _),
            .partialCycle(_, let line, _, _):
            return line
        case .missingTemplate, .unrecognizedFile, .unreadable, .emptySubject, .refusedLink:
            return nil
        }
    }

    /// The 1-based column (in characters) where the tag at fault starts, when there is one.
    package var column: Int? {
        switch self {
        case .syntax(_, _, let column, _, _), .missingVariable(_, _, let column, _), .notAValue(_, _, let column, _),
            .unknownVariable(_, _, let column, _), .unknownPartial(_, _, let column, _, _),
            .partialCycle(_, _, let column, _):
            return column
        case .missingTemplate, .unrecognizedFile, .unreadable, .emptySubject, .refusedLink:
            return nil
        }
    }

    /// The variable involved, e.g. `lead.company`, for the variable cases.
    package var variable: String? {
        switch self {
        case .missingVariable(_, _, _, let variable), .notAValue(_, _, _, let variable),
            .unknownVariable(_, _, _, let variable):
            return variable
        default:
            return nil
        }
    }

    /// What went wrong, in one clause.
    package var problem: String {
        switch self {
        case .syntax(_, _, _, let problem, _):
            return problem
        case .missingVariable(_, _, _, let variable):
            return "variable `\(variable)` has no value for this lead"
        case .notAValue(_, _, _, let variable):
            return "`\(variable)` is a group of values, not a single value"
        case .unknownVariable(_, _, _, let variable):
            return "unknown variable `\(variable)`"
        case .unknownPartial(_, _, _, let partial, _):
            return "partial `\(partial)` does not exist"
        case .partialCycle(_, _, _, let chain):
            return "partials include each other in a loop: \(chain.joined(separator: " > "))"
        case .missingTemplate(_, let needed):
            return "\(needed) has no template file"
        case .unrecognizedFile:
            return "file name does not follow the template layout"
        case .unreadable(_, let reason):
            return "cannot read the file: \(reason)"
        case .emptySubject:
            return "the rendered subject is empty"
        case .refusedLink(_, let attribute, let scheme):
            return "the rendered HTML has a `\(scheme):` link in `\(attribute)`; mail links may only use http, https"
                + " or mailto"
        }
    }

    /// What to do about it, in one clause.
    package var fix: String {
        switch self {
        case .syntax(_, _, _, _, let fix):
            return fix
        case .missingVariable(_, _, _, let variable):
            return "\(Self.source(of: variable)), or wrap the text in {{#\(variable)}}...{{/\(variable)}}"
                + " with an {{^\(variable)}}...{{/\(variable)}} alternative, or write"
                + " {{#default.\(variable)}}fallback text{{/default.\(variable)}}"
        case .notAValue(_, _, _, let variable):
            return "name one value inside it, e.g. `\(variable).\(TemplateVariables.exampleChild(of: variable))`"
        case .unknownVariable:
            return "use one of the variables listed in docs/templates.md (lead.*, attributes.*, owner.*, sender.*,"
                + " company.*, unsubscribe_url, sequence.*, step.*), or fix the spelling"
        case .unknownPartial(_, _, _, _, let expected):
            return "create \(expected) or fix the partial's name"
        case .partialCycle:
            return "remove one of the {{> ...}} tags so no partial includes itself"
        case .missingTemplate(let file, _):
            return "create \(file)"
        case .unrecognizedFile:
            return "rename it to templates/<sequence-id>/<step-id>.subject.mustache (or .text / .html),"
                + " or templates/partials/<name>.text.mustache (or .html)"
        case .unreadable:
            return "check that the file exists and that the daemon's user may read it"
        case .emptySubject:
            return "write a subject, or make sure the variables it uses have values"
        case .refusedLink:
            return "correct the value the link is made from (a lead's value must not be a javascript:, data: or"
                + " other link), or write a fixed http(s) link in the template; `nurture check` flags lead values"
                + " in links"
        }
    }

    /// Who supplies a variable's value, as the start of a fix.
    private static func source(of variable: String) -> String {
        switch variable.split(separator: ".").first ?? "" {
        case "lead", "attributes": return "give the lead a value for it"
        case "owner": return "set it for the lead's owner (salesperson) in the configuration"
        case "sender", "company": return "set it in the configuration"
        case "unsubscribe_url": return "send this step on the marketing track, which provides the unsubscribe link"
        default: return "supply a value for it"
        }
    }

    /// `file:line:column: problem; fix` (line and column only when the problem has a place).
    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(problem); \(fix)"
    }
}
