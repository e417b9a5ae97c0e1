/// Reads the tags of one Mustache template, collecting every problem with its line and column instead of
/// stopping at the first, and building the tree of variable, section and partial tags.
///
/// It follows swift-mustache's syntax (delimiter changes, comments, `{{{ }}}`, `{{& }}`, transforms such as
/// `uppercased(name)`) and adds Nurture's rules: no unescaped output in HTML templates, no template
/// inheritance, dynamic partials or pragmas, `default.` only as a section, and only the transforms
/// `capitalized`, `lowercased` and `uppercased`.
struct TemplateScanner {
    /// What a scan found.
    struct Result {
        /// The tags, nested as the sections nest.
        var nodes: [TemplateNode]
        /// Every problem, in file order.
        var errors: [TemplateError]
    }

    /// The transforms templates may apply to a value, e.g. `{{capitalized(lead.first_name)}}`.
    static let transforms: Set<String> = ["capitalized", "lowercased", "uppercased"]

    /// The prefix of a section that gives a fallback for an absent value.
    static let defaultPrefix = "default."

    private static let nameCharacters = Set<Character>(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")
    private static let partialNameCharacters = Set<Character>(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_")

    /// An open section while scanning.
    private struct OpenSection {
        var rawName: String
        var reference: VariableReference?
        var line: Int
        var column: Int
        /// Where the section's content starts (just after its opening tag).
        var contentStart: Int = 0
        var isEmpty = false
        var children: [TemplateNode] = []
    }

    private let file: String
    private let kind: TemplateKind
    private let characters: [Character]
    private let lines: [Int]
    private let columns: [Int]
    private var errors: [TemplateError] = []

    /// Prepares to scan `source`, reporting problems against `file`.
    init(source: String, file: String, kind: TemplateKind) {
        self.file = file
        self.kind = kind
        self.characters = Array(source)
        var lines: [Int] = []
        var columns: [Int] = []
        lines.reserveCapacity(characters.count + 1)
        columns.reserveCapacity(characters.count + 1)
        var line = 1
        var column = 1
        for character in characters {
            lines.append(line)
            columns.append(column)
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        lines.append(line)
        columns.append(column)
        self.lines = lines
        self.columns = columns
    }

    /// Scans a template's source text.
    static func scan(_ source: String, file: String, kind: TemplateKind) -> Result {
        var scanner = TemplateScanner(source: source, file: file, kind: kind)
        return scanner.scan()
    }

    /// Scans the whole template.
    mutating func scan() -> Result {
        var stack = [OpenSection(rawName: "", reference: nil, line: 1, column: 1)]
        var opening = Array("{{")
        var closing = Array("}}")
        var index = 0
        // Where each tag lands in the HTML (HTML templates only): the text between tags is read as HTML.
        var html = HTMLContext()
        var read = 0

        while let tagStart = find(opening, from: index, stopAtNewline: false) {
            if kind.escapesHTML, read < tagStart {
                for character in characters[read..<tagStart] { html.feed(String(character)) }
                read = tagStart
            }
            let contentStart = tagStart + opening.count
            let sigil: Character? = contentStart < characters.count ? characters[contentStart] : nil
            let isComment = sigil == "!"
            let tagClosing = sigil == "{" ? closing + ["}"] : closing
            guard let contentEnd = find(tagClosing, from: contentStart, stopAtNewline: !isComment) else {
                let open = String(opening)
                let close = String(tagClosing)
                report(
                    at: tagStart, "`\(open)` opens a tag that is never closed",
                    isComment
                        ? "end the comment with `\(close)`"
                        : "add `\(close)` on the same line, or remove the stray `\(open)`")
                if isComment { break }
                index = nextLineStart(after: tagStart)
                continue
            }
            index = contentEnd + tagClosing.count
            read = index
            let content = String(characters[contentStart..<contentEnd])
            let line = lines[tagStart]
            let column = columns[tagStart]

            switch sigil {
            case "!":
                continue
            case "=":
                if let delimiters = parseDelimiters(content) {
                    (opening, closing) = delimiters
                } else {
                    report(
                        at: tagStart,
                        "`\(String(opening))\(content)\(String(closing))` is not a valid delimiter change",
                        "write it like {{=<% %>=}} (two delimiters separated by a space, between `=` signs)")
                }
            case "{", "&":
                let name = content.dropFirst()
                guard !kind.escapesHTML else {
                    report(
                        at: tagStart,
                        "unescaped output `\(String(opening))\(content)\(String(tagClosing))`"
                            + " is not allowed in HTML templates",
                        "write {{\(name.trimmingWhitespace)}}; values in HTML are always escaped")
                    continue
                }
                if let reference = parseName(name, usage: .value, at: tagStart) {
                    stack[stack.count - 1].children.append(.value(reference))
                }
            case "#", "^":
                let rawName = content.dropFirst().trimmingWhitespace
                let reference = parseName(rawName[...], usage: sigil == "#" ? .section : .invertedSection, at: tagStart)
                stack.append(
                    OpenSection(rawName: rawName, reference: reference, line: line, column: column, contentStart: index)
                )
            case "/":
                let rawName = content.dropFirst().trimmingWhitespace
                close(rawName, at: tagStart, stack: &stack)
            case ">":
                let name = content.dropFirst().trimmingWhitespace
                if name.hasPrefix("*") {
                    report(
                        at: tagStart, "dynamic partial `{{>\(name)}}` is not supported",
                        "name the partial directly, e.g. {{> signature}}")
                } else if name.isEmpty || !name.allSatisfy(Self.partialNameCharacters.contains) {
                    report(
                        at: tagStart, "`\(name)` is not a valid partial name",
                        "use the partial's file name without `.text.mustache`, e.g. {{> footer}}")
                } else {
                    stack[stack.count - 1].children.append(
                        .partial(PartialReference(name: name, line: line, column: column)))
                }
            case "<", "$":
                report(
                    at: tagStart, "template inheritance (`{{<` and `{{$`) is not supported",
                    "include shared text with a partial instead, e.g. {{> footer}}")
            case "%":
                report(
                    at: tagStart, "pragma `{{\(content)}}` is not supported",
                    "remove it; Nurture decides escaping from the file name (.html.mustache escapes)")
            default:
                if let reference = parseName(content[...], usage: .value, at: tagStart) {
                    stack[stack.count - 1].children.append(.value(reference))
                    if kind.escapesHTML {
                        checkPlacement(
                            reference, of: String(opening) + content + String(closing), in: &html, at: tagStart)
                    }
                }
            }
        }

        while stack.count > 1 {
            let section = stack.removeLast()
            errors.append(
                .syntax(
                    file: file, line: section.line, column: section.column,
                    problem: "section `\(section.rawName)` is never closed",
                    fix: "add {{/\(section.rawName)}} where the section should end"))
            append(section, to: &stack)
        }
        errors.sort { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
        return Result(nodes: stack[0].children, errors: errors)
    }

    /// Handles `{{/name}}`: closes the innermost section, reporting sections left open inside it.
    private mutating func close(_ rawName: String, at tagStart: Int, stack: inout [OpenSection]) {
        guard let depth = stack.lastIndex(where: { $0.rawName == rawName }), depth > 0 else {
            report(
                at: tagStart, "`{{/\(rawName)}}` closes a section that is not open",
                "remove it, or add {{#\(rawName)}} where the section should start")
            return
        }
        while stack.count - 1 > depth {
            let unclosed = stack.removeLast()
            errors.append(
                .syntax(
                    file: file, line: unclosed.line, column: unclosed.column,
                    problem: "section `\(unclosed.rawName)` is not closed before `{{/\(rawName)}}` on line"
                        + " \(lines[tagStart])",
                    fix: "add {{/\(unclosed.rawName)}} before {{/\(rawName)}}"))
            append(unclosed, to: &stack)
        }
        var section = stack.removeLast()
        section.isEmpty = section.contentStart == tagStart
        append(section, to: &stack)
    }

    /// Adds a finished section to its parent; a section with an invalid name passes its children up.
    private func append(_ section: OpenSection, to stack: inout [OpenSection]) {
        if let reference = section.reference {
            stack[stack.count - 1].children.append(
                .section(reference, children: section.children, isEmpty: section.isEmpty))
        } else {
            stack[stack.count - 1].children.append(contentsOf: section.children)
        }
    }

    /// Whether a variable's value comes from the lead (its fields and attributes; `.` may be any of them).
    static func isLeadValue(_ name: String) -> Bool {
        name.hasPrefix("lead.") || name.hasPrefix("attributes.") || name == "." || name == "lead"
            || name == "attributes"
    }

    /// Reports a value tag of an HTML template placed where escaping does not make a value safe: inside a tag
    /// outside any attribute value, in an unquoted attribute value, or — for a lead's value — in an attribute
    /// read as a URL, script or style, or in `<script>`/`<style>`.
    private mutating func checkPlacement(
        _ reference: VariableReference, of tag: String, in html: inout HTMLContext, at tagStart: Int
    ) {
        switch html.place {
        case .text, .markup:
            return
        case .tag(let element):
            report(
                at: tagStart,
                "`\(tag)` is inside the tag <\(element)> but not in a quoted attribute value, so a value can add"
                    + " attributes",
                "move it into a quoted attribute value (name=\"\(tag)\") or into the text")
        case .unquotedValue(_, let attribute):
            report(
                at: tagStart,
                "`\(tag)` is in the unquoted value of `\(attribute)`, so a value with a space adds attributes",
                "quote the value: \(attribute)=\"...\(tag)...\"")
            html.valueInserted()
        case .quotedValue(_, let attribute):
            guard Self.isLeadValue(reference.name), LinkCheck.isSensitive(attribute) else { return }
            let what = LinkCheck.urlAttributes.contains(attribute) ? "a URL" : "script or style"
            report(
                at: tagStart,
                "the lead's value `\(tag)` is in `\(attribute)`, which is read as \(what): a lead's data could make"
                    + " it a javascript: link or script",
                "write the link in the template (or take it from the configuration, e.g. {{company.website}}) and"
                    + " put lead values in the text")
        case .rawText(let element):
            guard Self.isLeadValue(reference.name) else { return }
            report(
                at: tagStart, "the lead's value `\(tag)` is inside <\(element)>, where HTML escaping does not apply",
                "put lead values in the text, outside <script> and <style>")
        }
    }

    /// Parses a tag's variable name, with optional transforms; reports and returns `nil` when it is invalid.
    private mutating func parseName(_ raw: Substring, usage: VariableReference.Usage, at tagStart: Int)
        -> VariableReference?
    {
        let text = raw.trimmingWhitespace
        guard !text.isEmpty else {
            report(
                at: tagStart, "the tag has no variable name",
                "write a name between the braces, e.g. {{lead.first_name}}")
            return nil
        }
        if let bad = text.first(where: { !Self.nameCharacters.contains($0) && $0 != "(" && $0 != ")" }) {
            let fix =
                bad.isWhitespace
                ? "variable names have no spaces: write e.g. {{lead.first_name}}"
                : "use letters, digits, `_`, `-` and `.` in variable names, e.g. {{attributes.team_size}}"
            report(
                at: tagStart, "`\(text)` contains \(bad.debugDescription), which is not allowed in a variable name", fix
            )
            return nil
        }
        var name = text[...]
        var transforms: [Substring] = []
        while let open = name.firstIndex(of: "(") {
            transforms.append(name[..<open])
            name = name[name.index(after: open)...]
        }
        let closers = name.reversed().prefix(while: { $0 == ")" }).count
        name = name.dropLast(closers)
        guard closers == transforms.count, !name.contains(")"), !name.isEmpty else {
            report(
                at: tagStart, "`\(text)` is not a valid transform call",
                "write a transform like {{uppercased(lead.company)}}")
            return nil
        }
        if let unknown = transforms.first(where: { !Self.transforms.contains(String($0)) }) {
            report(
                at: tagStart, "unknown transform `\(unknown)` in `\(text)`",
                "use one of \(Self.transforms.sorted().joined(separator: ", ")), e.g. {{capitalized(lead.first_name)}}")
            return nil
        }
        var variable = String(name)
        var usage = usage
        if variable.hasPrefix(Self.defaultPrefix) {
            let target = String(variable.dropFirst(Self.defaultPrefix.count))
            guard usage == .section, transforms.isEmpty else {
                report(
                    at: tagStart, "`\(text)` gives a fallback, so it must be a section",
                    "write {{#default.\(target)}}fallback text{{/default.\(target)}}")
                return nil
            }
            variable = target
            usage = .defaultValue
        }
        if variable != "." {
            var parts = variable.split(separator: ".", omittingEmptySubsequences: false)
            if variable.hasPrefix(".") { parts.removeFirst() }
            if parts.contains(where: \.isEmpty) {
                report(
                    at: tagStart, "`\(text)` has an empty part between dots",
                    "write dotted names like lead.first_name")
                return nil
            }
        }
        return VariableReference(name: variable, usage: usage, line: lines[tagStart], column: columns[tagStart])
    }

    /// Parses the inside of `{{=<% %>=}}` (starting at the first `=`).
    private func parseDelimiters(_ content: String) -> ([Character], [Character])? {
        guard content.count >= 2, content.hasSuffix("=") else { return nil }
        let parts = content.dropFirst().dropLast().split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else { return nil }
        return (Array(parts[0]), Array(parts[1]))
    }

    /// The index where `pattern` next starts at or after `start`, or `nil`.
    private func find(_ pattern: [Character], from start: Int, stopAtNewline: Bool) -> Int? {
        guard !pattern.isEmpty, characters.count >= pattern.count else { return nil }
        var index = start
        while index + pattern.count <= characters.count {
            if stopAtNewline, characters[index].isNewline { return nil }
            if characters[index] == pattern[0], Array(characters[index..<index + pattern.count]) == pattern {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The index just after the next line break at or after `index`, or the end.
    private func nextLineStart(after index: Int) -> Int {
        var index = index
        while index < characters.count, !characters[index].isNewline { index += 1 }
        return min(index + 1, characters.count)
    }

    private mutating func report(at index: Int, _ problem: String, _ fix: String) {
        errors.append(.syntax(file: file, line: lines[index], column: columns[index], problem: problem, fix: fix))
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (including line breaks).
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
