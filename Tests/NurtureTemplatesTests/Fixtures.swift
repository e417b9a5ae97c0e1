import Foundation
import NurtureTemplates

/// Builds a library from `[path: text]`, paths relative to the templates directory's parent.
func parseLibrary(_ files: [String: String]) -> (library: TemplateLibrary, errors: [TemplateError]) {
    TemplateLibrary.parse(files.map { TemplateSource(path: $0.key, text: $0.value) })
}

/// Builds a library that must have no problems.
func makeLibrary(_ files: [String: String]) throws(TemplateErrors) -> TemplateLibrary {
    try TemplateLibrary(sources: files.map { TemplateSource(path: $0.key, text: $0.value) })
}

/// Minimal partials for both tracks, in text and HTML.
let basicPartials: [String: String] = [
    "templates/partials/signature.text.mustache": "{{owner.name}}\n{{owner.title}}\n",
    "templates/partials/signature.html.mustache": "<p>{{owner.name}}</p>\n",
    "templates/partials/footer.text.mustache": "{{company.postal_address}}\nUnsubscribe: {{unsubscribe_url}}\n",
    "templates/partials/footer.html.mustache":
        "<p>{{company.postal_address}} <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>\n",
]

/// One step `demo/hello` with the given text body (and optional HTML), plus ``basicPartials``.
func oneStep(text: String, subject: String = "Hello", html: String? = nil) -> [String: String] {
    var files = basicPartials
    files["templates/demo/hello.subject.mustache"] = subject
    files["templates/demo/hello.text.mustache"] = text
    if let html { files["templates/demo/hello.html.mustache"] = html }
    return files
}

/// The shipped `templates/` directory of this repository, found from this file's location.
var shippedTemplatesDirectory: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates").path
}

/// Which track each shipped sequence is sent on.
let shippedTracks: [String: TemplateTrack] = [
    "marketing-nurture": .marketing,
    "inbound-sales": .sales(),
    "recycled-renurture": .marketing,
]
