/// The rendered parts of one email, ready to be composed into a message.
package struct RenderedEmail: Sendable, Equatable {
    /// The subject, on one line, with no leading or trailing spaces.
    package var subject: String
    /// The plain-text body, signature or footer included, ending with one newline.
    package var text: String
    /// The HTML body as a complete document, signature or footer included; `nil` when the step has no HTML.
    package var html: String?

    /// Makes a rendered email from its parts.
    package init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
