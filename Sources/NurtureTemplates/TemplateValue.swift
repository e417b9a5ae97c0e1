/// One node of a ``TemplateContext``: a text value, or a named group of further values.
package enum TemplateValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral {
    /// A single value such as a first name or a URL.
    case text(String)
    /// Named values under one name, such as `lead` holding `first_name`, `email` and so on.
    case group([String: TemplateValue])

    /// A text value from a string literal.
    package init(stringLiteral value: String) {
        self = .text(value)
    }

    /// A group from a dictionary literal.
    package init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .group(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Whether a template may use this value: text with something other than whitespace, or a non-empty group.
    package var isPresent: Bool {
        switch self {
        case .text(let text):
            return text.contains { !$0.isWhitespace }
        case .group(let children):
            return !children.isEmpty
        }
    }

    /// The child at a dotted path below this value, e.g. `["lead", "company"]`.
    func value(at path: ArraySlice<String>) -> TemplateValue? {
        guard let first = path.first else { return self }
        guard case .group(let children) = self, let child = children[first] else { return nil }
        return child.value(at: path.dropFirst())
    }

    /// This value with the one at `path` replaced (or removed for `nil`), creating groups on the way.
    func setting(_ newValue: TemplateValue?, at path: ArraySlice<String>) -> TemplateValue? {
        guard let first = path.first else { return newValue }
        var children: [String: TemplateValue]
        if case .group(let existing) = self { children = existing } else { children = [:] }
        let child = children[first] ?? .group([:])
        children[first] = child.setting(newValue, at: path.dropFirst())
        return .group(children)
    }
}
