import NurtureTemplates
import Testing

@Suite("Strict rendering: a missing value is an error naming file, line and variable")
struct StrictRenderingTests {
    let context: TemplateContext = [
        "lead": ["first_name": "Dana", "email": "dana@example.com"],
        "owner": ["name": "Priya Raman", "title": "Account Executive"],
    ]

    func renderText(_ text: String, context: TemplateContext? = nil) throws -> String {
        let library = try makeLibrary(oneStep(text: text))
        let file = try #require(library.templates(sequence: "demo", step: "hello")?.text)
        return try library.render(file, context: context ?? self.context)
    }

    func renderError(_ text: String, context: TemplateContext? = nil) throws -> TemplateError? {
        let library = try makeLibrary(oneStep(text: text))
        let file = try #require(library.templates(sequence: "demo", step: "hello")?.text)
        do {
            _ = try library.render(file, context: context ?? self.context)
            return nil
        } catch {
            return error
        }
    }

    @Test("a missing variable names the template file, line, column and variable")
    func missingVariable() throws {
        let error = try renderError("Hi {{lead.first_name}},\n\nHow is {{lead.company}} doing?\n")
        #expect(
            error
                == .missingVariable(
                    file: "templates/demo/hello.text.mustache", line: 3, column: 8,
                    variable: "lead.company"))
        #expect(error?.description.hasPrefix("templates/demo/hello.text.mustache:3:8: variable `lead.company`") == true)
    }

    @Test("an empty or blank value counts as missing", arguments: ["", "   ", "\n"])
    func blankIsMissing(value: String) throws {
        var context = context
        context["lead.first_name"] = value
        let error = try renderError("Hi {{lead.first_name}},\n", context: context)
        #expect(error?.variable == "lead.first_name")
        #expect(error?.line == 1)
    }

    @Test("a missing variable inside a partial names the partial's file")
    func missingInPartial() throws {
        var files = oneStep(text: "Hi\n{{> card}}\n")
        files["templates/partials/card.text.mustache"] = "Call {{owner.phone}}\n"
        let library = try makeLibrary(files)
        #expect(
            throws: TemplateError.missingVariable(
                file: "templates/partials/card.text.mustache", line: 1, column: 6, variable: "owner.phone")
        ) {
            try library.render(sequence: "demo", step: "hello", track: .sales(), context: context)
        }
    }

    @Test("a section tests presence without error, an inverted section gives the alternative")
    func presenceSections() throws {
        let text = "{{#lead.company}}at {{lead.company}}{{/lead.company}}{{^lead.company}}on your team{{/lead.company}}"
        #expect(try renderText(text) == "on your team")
        var context = context
        context["lead.company"] = "Northwind"
        #expect(try renderText(text, context: context) == "at Northwind")
        context["lead.company"] = " "
        #expect(try renderText(text, context: context) == "on your team")
    }

    @Test("variables inside a section that is not rendered are not required")
    func skippedSectionsAreNotChecked() throws {
        let text = "{{#lead.company}}{{lead.title}} at {{lead.company}}{{/lead.company}}done"
        #expect(try renderText(text) == "done")
        var context = context
        context["lead.company"] = "Northwind"
        #expect(try renderError(text, context: context)?.variable == "lead.title")
    }

    @Test("the default form writes the value, or the fallback text when absent")
    func defaultForm() throws {
        let text = "Hi {{#default.lead.company}}your team{{/default.lead.company}}!"
        #expect(try renderText(text) == "Hi your team!")
        var context = context
        context["lead.company"] = "Northwind"
        #expect(try renderText(text, context: context) == "Hi Northwind!")
    }

    @Test("a default fallback may use variables, which are themselves strict")
    func defaultFallbackWithVariables() throws {
        let text = "{{#default.lead.company}}{{owner.name}}'s friends{{/default.lead.company}}"
        #expect(try renderText(text) == "Priya Raman's friends")
        let broken = "{{#default.lead.company}}{{owner.phone}}{{/default.lead.company}}"
        #expect(try renderError(broken)?.variable == "owner.phone")
    }

    @Test("an empty default is still a missing value")
    func emptyDefault() throws {
        #expect(try renderError("{{#default.lead.company}}{{/default.lead.company}}")?.variable == "lead.company")
    }

    @Test("lead data is never parsed as a template")
    func valuesAreNotTemplates() throws {
        var context = context
        context["lead.company"] = "{{owner.name}}"
        #expect(
            try renderText(
                "{{lead.company}}|{{#default.lead.company}}x{{/default.lead.company}}",
                context: context) == "{{owner.name}}|{{owner.name}}")
    }

    @Test("text templates insert values as they are; transforms apply")
    func textIsNotEscaped() throws {
        var context = context
        context["lead.company"] = "Smith & \"Sons\" <UK>"
        #expect(
            try renderText("{{lead.company}} {{{lead.company}}} {{uppercased(lead.first_name)}}", context: context)
                == "Smith & \"Sons\" <UK> Smith & \"Sons\" <UK> DANA")
    }

    @Test("a group written as a value is an error")
    func groupIsNotAValue() throws {
        let error = try renderError("{{owner}}")
        #expect(error == .notAValue(file: "templates/demo/hello.text.mustache", line: 1, column: 1, variable: "owner"))
    }

    @Test("attributes are addressed by key")
    func attributes() throws {
        var context = context
        context["attributes.team_size"] = "40"
        #expect(try renderText("{{attributes.team_size}} people", context: context) == "40 people")
        #expect(try renderError("{{attributes.plan}}", context: context)?.variable == "attributes.plan")
    }
}
