/// The rendered parts of one email, ready to be composed into a message.
public struct RenderedEmail: Sendable, Equatable {
    /// The subject, on one line, with no leading or trailing spaces.
    public var subject: String
    /// The plain-text body, signature or footer included, ending with one newline.
    public var text: String
    /// The HTML body as a complete document, signature or footer included; `nil` when the step has no HTML.
    public var html: String?

    /// Makes a rendered email from its parts.
    public init(subject: String, text: String, html: String?) {
        self.subject = subject
        self.text = text
        self.html = html
    }
}
