/// What a template file renders: a subject line, a plain-text body or an HTML body.
///
/// The kind comes from the file name (`intro.subject.mustache`, `intro.text.mustache`, `intro.html.mustache`)
/// and decides escaping: only HTML templates escape values.
package enum TemplateKind: String, Sendable, Hashable, CaseIterable {
    /// The subject line; rendered as text, then folded onto one line.
    case subject
    /// The plain-text body; values are inserted as they are.
    case text
    /// The HTML body; every value is HTML-escaped per Unicode scalar.
    case html

    /// Whether values are HTML-escaped in templates of this kind.
    var escapesHTML: Bool { self == .html }
}
