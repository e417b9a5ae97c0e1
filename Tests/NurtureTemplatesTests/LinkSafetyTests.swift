import NurtureTemplates
import Testing

@Suite("Links: lead values are kept out of URLs and tags; rendered links use http, https or mailto only")
struct LinkSafetyTests {
    /// The problems `nurture check` reports for an HTML body.
    func problems(html: String) -> [TemplateError] {
        parseLibrary(oneStep(text: "Hello", html: html)).errors
    }

    @Test(
        "check flags lead values in URL, event and style attributes, and any value unquoted or loose in a tag",
        arguments: [
            (#"<p><a href="{{attributes.site}}">site</a></p>"#, "is in `href`, which is read as a URL"),
            (#"<a href="https://example.com/?c={{lead.company}}">x</a>"#, "is in `href`"),
            (#"<img src='{{attributes.logo}}' alt="">"#, "is in `src`"),
            (#"<form action="{{lead.email}}"></form>"#, "is in `action`"),
            (#"<button formaction="{{attributes.go}}">go</button>"#, "is in `formaction`"),
            (#"<A HREF="{{lead.first_name}}">x</A>"#, "is in `href`"),
            (#"<div onclick="hi('{{lead.first_name}}')">x</div>"#, "is in `onclick`, which is read as script or style"),
            (#"<p style="color: {{attributes.color}}">x</p>"#, "is in `style`"),
            (#"<p title={{lead.first_name}}>x</p>"#, "is in the unquoted value of `title`"),
            (#"<p title=x{{company.name}}>x</p>"#, "is in the unquoted value of `title`"),
            (#"<p {{lead.first_name}}>x</p>"#, "is inside the tag <p> but not in a quoted attribute value"),
            (#"<p title="a" {{company.name}}>x</p>"#, "is inside the tag <p>"),
            ("<script>var n = \"{{lead.first_name}}\";</script>", "is inside <script>"),
        ])
    func flagged(html: String, expected: String) throws {
        let errors = problems(html: html)
        #expect(errors.count == 1, "\(errors)")
        let error = try #require(errors.first)
        #expect(error.file == "templates/demo/hello.html.mustache")
        #expect(error.line == 1)
        #expect(error.description.contains(expected), "\(error)")
        #expect(!error.fix.isEmpty)
    }

    @Test(
        "lead values in text and quoted ordinary attributes, and configuration values in links, pass",
        arguments: [
            #"<p>Hi {{lead.first_name}}, <a href="{{company.website}}/guides">guides</a></p>"#,
            #"<p title="{{lead.first_name}}" class="x">{{attributes.plan}}</p>"#,
            #"<a href="mailto:{{owner.email}}">{{owner.email}}</a> <a href="{{owner.booking_url}}">book</a>"#,
            #"<p>a > b, {{lead.company}} <!-- <a href={{company.name}}> --> done</p>"#,
            "<style>p { color: red; }</style><p>{{lead.first_name}}</p>",
        ])
    func passes(html: String) {
        #expect(problems(html: html).isEmpty, "\(problems(html: html))")
    }

    @Test("text templates are not HTML: a value after `href=` there is plain text")
    func textIsNotHTML() {
        #expect(parseLibrary(oneStep(text: "<a href={{lead.first_name}}>")).errors.isEmpty)
    }

    /// Renders `demo/hello` on the sales track with `booking` as the owner's booking link.
    func render(html: String, booking: String = "https://example.com/meet") throws -> Result<String, TemplateError> {
        let library = try makeLibrary(oneStep(text: "Hello", html: html))
        let context: TemplateContext = [
            "lead": ["first_name": "Dana"],
            "owner": [
                "name": "Priya Raman", "title": "AE", "email": "priya@example.com",
                "booking_url": .init(stringLiteral: booking),
            ],
        ]
        do {
            return .success(
                try library.render(sequence: "demo", step: "hello", track: .sales(), context: context).html ?? "")
        } catch {
            return .failure(error)
        }
    }

    @Test(
        "a rendered href with a scheme other than http, https or mailto is refused, however it is spelt",
        arguments: [
            "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)", "java\nscript:alert(1)", "  \t JAVASCRIPT:alert(1) ", "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd",
        ])
    func refusedValues(value: String) throws {
        let result = try render(html: #"<p><a href="{{owner.booking_url}}">book</a></p>"#, booking: value)
        guard case .failure(let error) = result else {
            Issue.record("rendered a link to \(value.debugDescription)")
            return
        }
        guard case .refusedLink(let file, let attribute, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(file == "templates/demo/hello.html.mustache")
        #expect(attribute == "href")
        #expect(error.description.contains("mail links may only use http, https or mailto"))
    }

    @Test(
        "character references in the template are decoded before the scheme is read",
        arguments: [
            #"<a href="java&#x09;script:alert(1)">x</a>"#, #"<a href="java&#9;script:alert(1)">x</a>"#,
            #"<a href="javascript&colon;alert(1)">x</a>"#, #"<a href="java&Tab;script:alert(1)">x</a>"#,
            #"<a href="&#106;avascript:alert(1)">x</a>"#, #"<a href="&#x6A&#x61vascript:alert(1)">x</a>"#,
            #"<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">"#, #"<a href='JAVASCRIPT:x'>x</a>"#,
            #"<a href=javascript:x>x</a>"#, #"<img srcset="https://ok.example/a.png 1x, javascript:x 2x">"#,
        ])
    func refusedTemplates(html: String) throws {
        let result = try render(html: html)
        guard case .failure(let error) = result, case .refusedLink = error else {
            Issue.record("rendered \(html): \(result)")
            return
        }
    }

    @Test(
        "http, https, mailto and relative links render",
        arguments: [
            "https://example.com/meet", "http://example.com", "HTTPS://EXAMPLE.COM", "mailto:priya@example.com",
            "/relative/path", "#top", "meet?x=javascript:1",
        ])
    func allowed(value: String) throws {
        let result = try render(html: #"<p><a href="{{owner.booking_url}}">book</a></p>"#, booking: value)
        guard case .success(let html) = result else {
            Issue.record("refused \(value): \(result)")
            return
        }
        #expect(html.contains("book</a>"))
    }
}
