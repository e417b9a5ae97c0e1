/// The values one email is rendered with: a tree of named text values, addressed with dotted names.
///
/// The agreed names are listed in ``TemplateVariables``: `lead.first_name`, `attributes.<key>`,
/// `owner.name`, `company.postal_address`, `unsubscribe_url`, `step.number` and so on. A value that is absent
/// or only whitespace counts as missing: a template that outputs it fails to render.
///
/// ```swift
/// var context = TemplateContext()
/// context["lead.first_name"] = "Dana"
/// context["unsubscribe_url"] = "https://example.com/u/abc"
/// ```
package struct TemplateContext: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The top-level values, e.g. `lead`, `owner`, `unsubscribe_url`.
    package var values: [String: TemplateValue]

    /// A context holding the given top-level values.
    package init(_ values: [String: TemplateValue] = [:]) {
        self.values = values
    }

    /// A context from a dictionary literal of top-level values.
    package init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The value at a dotted name such as `lead.company`, or `nil` when there is none.
    package func value(at name: String) -> TemplateValue? {
        TemplateValue.group(values).value(at: Self.components(of: name)[...])
    }

    /// The text at a dotted name such as `lead.company`; setting `nil` removes it, setting creates groups.
    package subscript(name: String) -> String? {
        get {
            guard case .text(let text) = value(at: name) else { return nil }
            return text
        }
        set {
            let updated = TemplateValue.group(values).setting(
                newValue.map(TemplateValue.text),
                at: Self.components(of: name)[...])
            if case .group(let children) = updated { values = children }
        }
    }

    /// Every dotted name that holds text, sorted; handy for tests and for `nurture render --explain`.
    package var names: [String] {
        func walk(_ value: TemplateValue, prefix: String, into names: inout [String]) {
            switch value {
            case .text:
                names.append(prefix)
            case .group(let children):
                for (key, child) in children {
                    walk(child, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &names)
                }
            }
        }
        var names: [String] = []
        walk(.group(values), prefix: "", into: &names)
        return names.sorted()
    }

    static func components(of name: String) -> [String] {
        name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}
