import Foundation
import NurtureTemplates
import Testing

@Suite("Per-track assembly: signature on sales, footer on marketing, one-line subjects")
struct TrackAssemblyTests {
    let context = TemplateVariables.syntheticContext(for: .sales())

    @Test("sales appends the owner's signature to the text and HTML bodies")
    func salesSignature() throws {
        let library = try makeLibrary(oneStep(text: "Hi {{lead.first_name}},\n\nThanks!\n\n\n", html: "<p>Hi</p>"))
        let email = try library.render(sequence: "demo", step: "hello", track: .sales(), context: context)
        #expect(email.text == "Hi Dana,\n\nThanks!\n\nPriya Raman\nAccount Executive\n")
        let html = try #require(email.html)
        #expect(html.contains("<p>Hi</p>\n\n<p>Priya Raman</p>\n</body>"))
        #expect(!email.text.contains("Unsubscribe"))
    }

    @Test("sales uses the salesperson's own signature partial when named")
    func namedSignature() throws {
        var files = oneStep(text: "Hi")
        files["templates/partials/signature-priya.text.mustache"] = "Cheers, {{owner.first_name}}"
        let library = try makeLibrary(files)
        let email = try library.render(
            sequence: "demo", step: "hello", track: .sales(signature: "signature-priya"), context: context)
        #expect(email.text == "Hi\n\nCheers, Priya\n")
    }

    @Test("a missing signature partial is an error naming the file to create")
    func missingSignature() throws {
        let library = try makeLibrary(oneStep(text: "Hi"))
        #expect(
            throws: TemplateError.missingTemplate(
                file: "templates/partials/signature-jo.text.mustache", needed: "the owner's signature `signature-jo`")
        ) {
            try library.render(
                sequence: "demo", step: "hello", track: .sales(signature: "signature-jo"),
                context: context)
        }
    }

    @Test("marketing appends the footer with postal address and unsubscribe link")
    func marketingFooter() throws {
        let library = try makeLibrary(oneStep(text: "News", html: "<p>News</p>"))
        let email = try library.render(
            sequence: "demo", step: "hello", track: .marketing,
            context: TemplateVariables.syntheticContext(for: .marketing))
        #expect(
            email.text.hasSuffix(
                "Suite 300, San Francisco, CA 94105\nUnsubscribe: https://acme-analytics.example/u/3f9c2a\n"))
        #expect(
            try #require(email.html).contains("<a href=\"https://acme-analytics.example/u/3f9c2a\">Unsubscribe</a>"))
        #expect(!email.text.contains("Priya"))
    }

    @Test("marketing without an unsubscribe link fails, naming the footer")
    func marketingNeedsUnsubscribe() throws {
        let library = try makeLibrary(oneStep(text: "News"))
        var context = TemplateVariables.syntheticContext(for: .marketing)
        context["unsubscribe_url"] = nil
        #expect(
            throws: TemplateError.missingVariable(
                file: "templates/partials/footer.text.mustache", line: 2, column: 14, variable: "unsubscribe_url")
        ) {
            try library.render(sequence: "demo", step: "hello", track: .marketing, context: context)
        }
    }

    @Test("no HTML template means no HTML body")
    func textOnly() throws {
        let library = try makeLibrary(oneStep(text: "Hi"))
        #expect(try library.render(sequence: "demo", step: "hello", track: .sales(), context: context).html == nil)
    }

    @Test(
        "line breaks in the subject, from the template or a value, collapse to one space",
        arguments: [
            "Hello\n", "Hello\r\n{{lead.company}}\r\n", "  Hello \n\n  {{lead.company}}",
            "Hello\u{2028}{{lead.company}}",
        ])
    func subjectSingleLine(subject: String) throws {
        let library = try makeLibrary(oneStep(text: "Hi", subject: subject))
        var context = context
        context["lead.company"] = "Northwind\r\nBcc: x@example.com"
        let email = try library.render(sequence: "demo", step: "hello", track: .sales(), context: context)
        #expect(!email.subject.contains { $0.isNewline })
        #expect(email.subject.hasPrefix("Hello"))
        #expect(email.subject == email.subject.trimmingCharacters(in: .whitespaces))
    }

    @Test("a subject that renders empty is an error")
    func emptySubject() throws {
        let library = try makeLibrary(oneStep(text: "Hi", subject: "{{#lead.company}}x{{/lead.company}}\n"))
        var context = context
        context["lead.company"] = nil
        #expect(throws: TemplateError.emptySubject(file: "templates/demo/hello.subject.mustache")) {
            try library.render(sequence: "demo", step: "hello", track: .sales(), context: context)
        }
    }

    @Test("an unknown step is an error naming the file expected")
    func unknownStep() throws {
        let library = try makeLibrary(oneStep(text: "Hi"))
        #expect(
            throws: TemplateError.missingTemplate(
                file: "templates/demo/bye.text.mustache", needed: "step `bye` of sequence `demo`")
        ) {
            try library.render(sequence: "demo", step: "bye", track: .sales(), context: context)
        }
    }
}
