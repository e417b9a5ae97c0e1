import Mustache

/// Strict rendering: pure, no I/O.
extension TemplateLibrary {
    /// Renders one step for one lead, appending the track's partial: the owner's signature on sales, the
    /// `footer` (company, postal address, unsubscribe link) on marketing.
    ///
    /// Fails, naming the template file, line, column and variable, when a value the templates write out is
    /// missing or blank for this lead; never returns an email with a silently empty value.
    package func render(sequence: String, step: String, track: TemplateTrack, context: TemplateContext)
        throws(TemplateError) -> RenderedEmail
    {
        guard let templates = templates(sequence: sequence, step: step) else {
            throw .missingTemplate(
                file: "\(root)/\(sequence)/\(step).text.mustache",
                needed: "step `\(step)` of sequence `\(sequence)`")
        }
        let appendix = track.appendedPartial
        let subjectText = Self.singleLine(try render(templates.subject, context: context))
        guard !subjectText.isEmpty else { throw .emptySubject(file: templates.subject.path) }

        let text = Self.join(
            try render(templates.text, context: context),
            try render(requiredPartial(appendix, kind: .text, track: track), context: context))

        var html: String?
        if let htmlTemplate = templates.html {
            let body = Self.join(
                try render(htmlTemplate, context: context),
                try render(requiredPartial(appendix, kind: .html, track: track), context: context))
            let document = Self.document(subject: subjectText, body: body)
            if let (attribute, scheme) = LinkCheck.firstRefused(inHTML: document) {
                throw .refusedLink(file: htmlTemplate.path, attribute: attribute.name, scheme: scheme)
            }
            html = document
        }
        return RenderedEmail(subject: subjectText, text: text, html: html)
    }

    /// Renders one template file (step file or partial) for one lead, without appending anything.
    ///
    /// HTML files escape every value per Unicode scalar; subject and text files insert values as they are.
    package func render(_ file: TemplateFile, context: TemplateContext) throws(TemplateError) -> String {
        let partials = file.kind == .html ? htmlPartials : textPartials
        let root = root
        let kind = file.kind
        let check = StrictnessCheck(
            context: context, partials: partials,
            expectedPartialPath: { Self.partialPath(root: root, name: $0, kind: kind) })
        if let problem = check.firstProblem(in: file) { throw problem }

        let scope = RenderScope(context: context, escapesHTML: file.kind.escapesHTML, defaultTargets: defaultTargets)
        let output = file.mustache.render(scope.root, library: file.kind == .html ? htmlLibrary : textLibrary)
        // A second line of defence: the wrapped context recorded a missing value the check above did not see.
        if let name = scope.missing.first {
            throw locate(name, in: file, partials: partials)
        }
        return output
    }

    private func requiredPartial(_ name: String, kind: TemplateKind, track: TemplateTrack) throws(TemplateError)
        -> TemplateFile
    {
        let partials = kind == .html ? htmlPartials : textPartials
        guard let partial = partials[name] else {
            let role: String
            switch track {
            case .marketing: role = "the marketing footer"
            case .sales: role = "the owner's signature `\(name)`"
            }
            throw .missingTemplate(file: Self.partialPath(root: root, name: name, kind: kind), needed: role)
        }
        return partial
    }

    /// The error for a missing value, placed at the first tag naming it in the file or its partials.
    private func locate(_ name: String, in file: TemplateFile, partials: [String: TemplateFile]) -> TemplateError {
        var queue = [file]
        var seen: Set<String> = []
        while !queue.isEmpty {
            let candidate = queue.removeFirst()
            guard seen.insert(candidate.path).inserted else { continue }
            if let reference = candidate.variables.first(where: { $0.name == name }) {
                return .missingVariable(
                    file: candidate.path, line: reference.line, column: reference.column,
                    variable: name)
            }
            queue += candidate.partials.compactMap { partials[$0.name] }
        }
        return .missingVariable(file: file.path, line: 1, column: 1, variable: name)
    }

    /// The subject on one line: line breaks (and the spaces around them) become one space; ends are trimmed.
    static func singleLine(_ subject: String) -> String {
        subject.split(whereSeparator: { $0.isNewline || $0 == "\t" })
            .map { $0.trimmingWhitespace }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// A body and its appended partial, separated by one blank line, ending with one newline.
    static func join(_ body: String, _ appendix: String) -> String {
        body.trimmingTrailingWhitespace + "\n\n" + appendix.trimmingTrailingWhitespace + "\n"
    }

    /// The HTML body in a minimal document with a UTF-8 charset and the subject as title.
    static func document(subject: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLEscaper.escape(subject))</title>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}

extension String {
    /// The text without trailing whitespace and line breaks.
    var trimmingTrailingWhitespace: String {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[...last])
    }
}
