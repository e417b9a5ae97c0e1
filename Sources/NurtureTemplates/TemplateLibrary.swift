internal import Mustache

/// Every template of a templates directory, parsed and cross-checked, ready to render.
///
/// Layout, relative to the directory (called `templates` here):
/// - `templates/<sequence-id>/<step-id>.subject.mustache` and `<step-id>.text.mustache` (both required),
///   `<step-id>.html.mustache` (optional);
/// - `templates/partials/<name>.text.mustache` and `<name>.html.mustache`, included with `{{> name}}` and
///   appended by track: `footer` on marketing, the owner's signature (default `signature`) on sales.
///
/// Building a library is pure (see ``TemplateLibrary/parse(_:)``); reading a directory is in
/// ``TemplateLibrary/load(directory:)``.
package struct TemplateLibrary: Sendable {
    /// The templates directory's name as it starts every path, e.g. `templates`.
    package let root: String
    /// Text partials by name (also used by subjects).
    package let textPartials: [String: TemplateFile]
    /// HTML partials by name.
    package let htmlPartials: [String: TemplateFile]

    let steps: [String: [String: StepTemplates]]
    let textLibrary: MustacheLibrary
    let htmlLibrary: MustacheLibrary
    /// Names used as `{{#default.name}}` anywhere, which the `default` root answers with a lambda.
    let defaultTargets: Set<String>

    /// Parses the sources and throws every problem found (syntax, layout, unknown partials), if any.
    package init(sources: [TemplateSource]) throws(TemplateErrors) {
        let (library, errors) = Self.parse(sources)
        guard errors.isEmpty else { throw TemplateErrors(errors) }
        self = library
    }

    /// Parses the sources, returning the library of every file that parsed and every problem, in path order.
    ///
    /// Problems include each syntax error with file, line and column (several per file when there are
    /// several), files named outside the layout, steps lacking a subject or text body, partials that do not
    /// exist and partials that include each other in a loop.
    package static func parse(_ sources: [TemplateSource]) -> (library: TemplateLibrary, errors: [TemplateError]) {
        let sources = sources.sorted { $0.path < $1.path }
        let root = sources.first.map { String($0.path.split(separator: "/").first ?? "templates") } ?? "templates"
        var errors: [TemplateError] = []
        var partials: [TemplateKind: [String: TemplateFile]] = [.text: [:], .html: [:]]
        var stepFiles: [String: [String: [TemplateKind: TemplateFile]]] = [:]
        var failedSteps: Set<[String]> = []

        for source in sources {
            guard let location = TemplateLocation(path: source.path, root: root) else {
                errors.append(.unrecognizedFile(file: source.path))
                continue
            }
            let file: TemplateFile
            switch TemplateFile.parse(source, kind: location.kind) {
            case .success(let parsed):
                file = parsed
            case .failure(let failure):
                errors += failure.errors
                if let sequence = location.sequence { failedSteps.insert([sequence, location.name]) }
                continue
            }
            if let sequence = location.sequence {
                stepFiles[sequence, default: [:]][location.name, default: [:]][location.kind] = file
            } else {
                partials[location.kind, default: [:]][location.name] = file
            }
        }

        var steps: [String: [String: StepTemplates]] = [:]
        for (sequence, stepsByID) in stepFiles {
            for (step, files) in stepsByID {
                guard let subject = files[.subject], let text = files[.text] else {
                    if !failedSteps.contains([sequence, step]) {
                        let lacking: TemplateKind = files[.subject] == nil ? .subject : .text
                        errors.append(
                            .missingTemplate(
                                file: "\(root)/\(sequence)/\(step).\(lacking.rawValue).mustache",
                                needed: "the \(lacking.rawValue) of step `\(step)` in sequence `\(sequence)`"))
                    }
                    continue
                }
                steps[sequence, default: [:]][step] = StepTemplates(
                    sequence: sequence, step: step, subject: subject, text: text, html: files[.html])
            }
        }

        let textPartials = partials[.text] ?? [:]
        let htmlPartials = partials[.html] ?? [:]
        let allFiles =
            steps.values.flatMap { $0.values.flatMap(\.files) } + textPartials.values + htmlPartials.values
        for file in allFiles {
            let available = file.kind == .html ? htmlPartials : textPartials
            for reference in file.partials where available[reference.name] == nil {
                errors.append(
                    .unknownPartial(
                        file: file.path, line: reference.line, column: reference.column, partial: reference.name,
                        expected: Self.partialPath(root: root, name: reference.name, kind: file.kind)))
            }
        }
        errors += PartialCycles.find(in: textPartials) + PartialCycles.find(in: htmlPartials)

        let defaultTargets = Set(allFiles.flatMap(\.variables).filter { $0.usage == .defaultValue }.map(\.name))
        let library = TemplateLibrary(
            root: root, textPartials: textPartials, htmlPartials: htmlPartials, steps: steps,
            textLibrary: MustacheLibrary(templates: textPartials.mapValues(\.mustache)),
            htmlLibrary: MustacheLibrary(templates: htmlPartials.mapValues(\.mustache)),
            defaultTargets: defaultTargets)
        errors.sort { ($0.file, $0.line ?? 0, $0.column ?? 0) < ($1.file, $1.line ?? 0, $1.column ?? 0) }
        return (library, errors)
    }

    private init(
        root: String, textPartials: [String: TemplateFile], htmlPartials: [String: TemplateFile],
        steps: [String: [String: StepTemplates]], textLibrary: MustacheLibrary, htmlLibrary: MustacheLibrary,
        defaultTargets: Set<String>
    ) {
        self.root = root
        self.textPartials = textPartials
        self.htmlPartials = htmlPartials
        self.steps = steps
        self.textLibrary = textLibrary
        self.htmlLibrary = htmlLibrary
        self.defaultTargets = defaultTargets
    }

    /// The ids of the sequences that have templates, sorted.
    package var sequenceIDs: [String] { steps.keys.sorted() }

    /// The ids of the steps of a sequence that have templates, sorted (the order of steps is the config's).
    package func stepIDs(in sequence: String) -> [String] {
        (steps[sequence] ?? [:]).keys.sorted()
    }

    /// The files of one step, or `nil` when the step has no subject and text templates.
    package func templates(sequence: String, step: String) -> StepTemplates? {
        steps[sequence]?[step]
    }

    /// Every file in the library, sorted by path.
    package var files: [TemplateFile] {
        (steps.values.flatMap { $0.values.flatMap(\.files) } + textPartials.values + htmlPartials.values)
            .sorted { $0.path < $1.path }
    }

    /// The path a partial's file has, e.g. `templates/partials/footer.html.mustache`.
    static func partialPath(root: String, name: String, kind: TemplateKind) -> String {
        "\(root)/partials/\(name).\(kind == .html ? "html" : "text").mustache"
    }
}
