import NurtureTemplates
import Testing

@Suite("HTML escaping per Unicode scalar")
struct HTMLEscapingTests {
    /// Each dangerous scalar, alone and followed by a combining mark that would hide it from a per-Character escaper.
    static let dangerous: [(scalar: String, escaped: String)] = [
        ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"),
    ]

    @Test("each dangerous scalar is escaped, also when a combining mark follows", arguments: dangerous)
    func escapesEachScalar(scalar: String, escaped: String) {
        #expect(HTMLEscaper.escape(scalar) == escaped)
        #expect(
            HTMLEscaper.escape(scalar + "\u{301}").unicodeScalars.elementsEqual((escaped + "\u{301}").unicodeScalars))
        let marked = HTMLEscaper.escape("a" + scalar + "\u{20DD}\u{301}b")
        #expect(marked.unicodeScalars.elementsEqual(("a" + escaped + "\u{20DD}\u{301}b").unicodeScalars))
    }

    @Test("everything else passes through unchanged", arguments: ["Zoë", "日本語", "e\u{301}", "👩‍👩‍👧", "a\u{0}b", ""])
    func leavesOtherTextAlone(text: String) {
        #expect(HTMLEscaper.escape(text).unicodeScalars.elementsEqual(text.unicodeScalars))
    }

    @Test("values in HTML templates go through it, combining marks and all", arguments: dangerous)
    func htmlTemplatesEscapePerScalar(scalar: String, escaped: String) throws {
        let library = try makeLibrary(oneStep(text: "x", html: "<a title=\"{{lead.company}}\">x</a>"))
        let file = try #require(library.templates(sequence: "demo", step: "hello")?.html)
        let output = try library.render(file, context: ["lead": ["company": .text(scalar + "\u{301}")]])
        #expect(output.unicodeScalars.elementsEqual("<a title=\"\(escaped)\u{301}\">x</a>".unicodeScalars))
    }

    @Test(
        "triple mustache and {{& }} are refused in HTML templates and partials",
        arguments: [
            "templates/demo/hello.html.mustache", "templates/partials/footer.html.mustache",
        ])
    func unescapedOutputRefused(path: String) {
        var files = oneStep(text: "x", html: "<p>ok</p>")
        files[path] = "<p>{{{lead.company}}} and {{& lead.title}}</p>"
        let (_, errors) = parseLibrary(files)
        #expect(errors.map(\.file) == [path, path])
        #expect(errors.map(\.column) == [4, 27])
        #expect(errors.allSatisfy { $0.problem.contains("unescaped output") })
    }

    @Test("a default value in HTML is escaped too")
    func defaultValueEscaped() throws {
        let library = try makeLibrary(
            oneStep(text: "x", html: "<p>{{#default.lead.company}}R&amp;D{{/default.lead.company}}</p>"))
        let file = try #require(library.templates(sequence: "demo", step: "hello")?.html)
        let fallback = try library.render(file, context: [:])
        #expect(fallback == "<p>R&amp;D</p>")
        #expect(
            try library.render(file, context: ["lead": ["company": "\"\u{301}<b>"]])
                .unicodeScalars.elementsEqual("<p>&quot;\u{301}&lt;b&gt;</p>".unicodeScalars))
    }
}
