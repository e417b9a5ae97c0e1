import Foundation
import NurtureTemplates
import Testing

@Suite("Loading templates: every syntax error, with file, line and column")
struct TemplateScannerTests {
    @Test("several errors in several files are all reported, each with line and column")
    func severalErrorsInSeveralFiles() {
        var files = basicPartials
        files["templates/inbound-sales/intro.subject.mustache"] = "Hi {{lead.first_name}"
        files["templates/inbound-sales/intro.text.mustache"] = """
            Hello,

            We met at {{#lead.company}}the fair.
            {{lead first_name}} and {{/lead.title}}
            """
        files["templates/marketing-nurture/welcome.subject.mustache"] = "Welcome"
        files["templates/marketing-nurture/welcome.text.mustache"] = "Hi {{}}\n{{> nowhere}}\n"
        let (_, errors) = parseLibrary(files)
        let places = errors.map { "\($0.file):\($0.line ?? 0):\($0.column ?? 0)" }
        #expect(
            places == [
                "templates/inbound-sales/intro.subject.mustache:1:4",
                "templates/inbound-sales/intro.text.mustache:3:11",
                "templates/inbound-sales/intro.text.mustache:4:1",
                "templates/inbound-sales/intro.text.mustache:4:25",
                "templates/marketing-nurture/welcome.text.mustache:1:4",
            ])
        #expect(errors.allSatisfy { !$0.fix.isEmpty })
        #expect(errors[0].description.hasPrefix("templates/inbound-sales/intro.subject.mustache:1:4: "))
        #expect(errors[1].problem.contains("lead.company"))
        #expect(errors[1].fix.contains("{{/lead.company}}"))
        #expect(errors[2].problem.contains("\" \""))
        #expect(errors[3].problem.contains("not open"))
    }

    @Test("an unknown partial is reported once the file parses")
    func unknownPartial() {
        let (_, errors) = parseLibrary(oneStep(text: "Hi\n  {{> nowhere}}\n"))
        #expect(
            errors == [
                .unknownPartial(
                    file: "templates/demo/hello.text.mustache", line: 2, column: 3, partial: "nowhere",
                    expected: "templates/partials/nowhere.text.mustache")
            ])
    }

    @Test("loading throws all problems at once")
    func loadingThrowsAll() {
        var files = oneStep(text: "{{#a}}\n{{#b}}\n")
        files["templates/demo/bye.subject.mustache"] = "{{!never closed"
        do {
            _ = try makeLibrary(files)
            Issue.record("expected the library to fail")
        } catch {
            #expect(error.errors.count == 3)
            #expect(error.description.split(separator: "\n").count == 3)
        }
    }

    @Test("a step lacking its text body, and a misnamed file, are reported")
    func layoutProblems() {
        var files = basicPartials
        files["templates/demo/hello.subject.mustache"] = "Hello"
        files["templates/demo/hello.txt.mustache"] = "Hi"
        let (_, errors) = parseLibrary(files)
        #expect(
            errors == [
                .missingTemplate(
                    file: "templates/demo/hello.text.mustache",
                    needed: "the text of step `hello` in sequence `demo`"),
                .unrecognizedFile(file: "templates/demo/hello.txt.mustache"),
            ])
    }

    @Test("variables are exposed with line, column and usage")
    func variableReferences() throws {
        let library = try makeLibrary(
            oneStep(
                text: "Hi {{#default.lead.first_name}}there{{/default.lead.first_name}},\n"
                    + "{{#lead.company}}at {{ lead.company }}{{/lead.company}}{{^owner.phone}}x{{/owner.phone}}\n"
                    + "{{uppercased(attributes.plan)}} {{lead.nickname}}\n"))
        let text = try #require(library.templates(sequence: "demo", step: "hello")?.text)
        #expect(
            text.variables == [
                VariableReference(name: "lead.first_name", usage: .defaultValue, line: 1, column: 4),
                VariableReference(name: "lead.company", usage: .section, line: 2, column: 1),
                VariableReference(name: "lead.company", usage: .value, line: 2, column: 21),
                VariableReference(name: "owner.phone", usage: .invertedSection, line: 2, column: 56),
                VariableReference(name: "attributes.plan", usage: .value, line: 3, column: 1),
                VariableReference(name: "lead.nickname", usage: .value, line: 3, column: 33),
            ])
        #expect(
            library.unknownVariables() == [
                .unknownVariable(
                    file: "templates/demo/hello.text.mustache", line: 3, column: 33,
                    variable: "lead.nickname")
            ])
    }

    @Test("Nurture's own rules: unknown transforms, default. outside a section, inheritance, pragmas")
    func nurtureRules() {
        let (_, errors) = parseLibrary(
            oneStep(text: "{{reversed(lead.email)}}\n{{default.lead.company}}\n{{<parent}}\n{{%PRAGMA:X}}\n"))
        #expect(errors.map(\.line) == [1, 2, 3, 4])
        #expect(errors.allSatisfy { if case .syntax = $0 { true } else { false } })
    }

    @Test("delimiter changes are followed")
    func delimiterChange() throws {
        let library = try makeLibrary(oneStep(text: "{{=<% %>=}}\nHi <%lead.first_name%> {{not a tag}}\n"))
        let text = try #require(library.templates(sequence: "demo", step: "hello")?.text)
        #expect(text.variables.map(\.name) == ["lead.first_name"])
        let rendered = try library.render(text, context: ["lead": ["first_name": "Dana"]])
        #expect(rendered == "Hi Dana {{not a tag}}\n")
    }

    @Test("partials that include each other in a loop are reported")
    func partialCycle() {
        var files = oneStep(text: "{{> a}}")
        files["templates/partials/a.text.mustache"] = "{{> b}}"
        files["templates/partials/b.text.mustache"] = "x {{> a}}"
        let (_, errors) = parseLibrary(files)
        #expect(
            errors == [
                .partialCycle(file: "templates/partials/b.text.mustache", line: 1, column: 3, chain: ["a", "b", "a"])
            ])
    }

    @Test("Windows line endings count as one line break each")
    func crlfPositions() {
        let (_, errors) = parseLibrary(oneStep(text: "Hi\r\n\r\n  {{#lead.company}}\r\nBye\r\n"))
        #expect(errors.map(\.line) == [3])
        #expect(errors.map(\.column) == [3])
    }

    @Test("problems(tracks:) lists unknown variables and steps that cannot render on their track")
    func checkProblems() throws {
        var files = oneStep(text: "Hi {{lead.nickname}}")
        files["templates/partials/footer.text.mustache"] = nil
        files["templates/partials/footer.html.mustache"] = nil
        let library = try makeLibrary(files)
        let problems = library.problems(tracks: ["demo": .marketing, "absent": .sales()])
        #expect(
            problems == [
                .unknownVariable(
                    file: "templates/demo/hello.text.mustache", line: 1, column: 4, variable: "lead.nickname"),
                .missingTemplate(file: "templates/absent/", needed: "sequence `absent`"),
                .missingVariable(
                    file: "templates/demo/hello.text.mustache", line: 1, column: 4, variable: "lead.nickname"),
            ])
    }

    @Test("loading a directory names files relative to its parent and reports every problem")
    func loadDirectory() throws {
        let manager = FileManager.default
        let base = manager.temporaryDirectory.appendingPathComponent("nurture-templates-\(UUID().uuidString)")
        let directory = base.appendingPathComponent("templates")
        defer { try? manager.removeItem(at: base) }
        try manager.createDirectory(at: directory.appendingPathComponent("demo"), withIntermediateDirectories: true)
        try "Hi {{lead.first_name}".write(
            to: directory.appendingPathComponent("demo/hello.subject.mustache"), atomically: true, encoding: .utf8)
        try "Hi\n{{/x}}\n".write(
            to: directory.appendingPathComponent("demo/hello.text.mustache"), atomically: true, encoding: .utf8)
        try "notes".write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(
            throws: TemplateErrors([
                .syntax(
                    file: "templates/demo/hello.subject.mustache", line: 1, column: 4,
                    problem: "`{{` opens a tag that is never closed",
                    fix: "add `}}` on the same line, or remove the stray `{{`"),
                .syntax(
                    file: "templates/demo/hello.text.mustache", line: 2, column: 1,
                    problem: "`{{/x}}` closes a section that is not open",
                    fix: "remove it, or add {{#x}} where the section should start"),
            ])
        ) {
            try TemplateLibrary.load(directory: directory.path)
        }
        #expect(throws: TemplateErrors.self) {
            try TemplateLibrary.load(directory: base.appendingPathComponent("absent").path)
        }
    }
}
