internal import Mustache

/// The `default` root: `{{#default.lead.company}}your team{{/default.lead.company}}` writes the value when it
/// is present, and otherwise the text inside the section.
struct DefaultsNode: MustacheParent {
    let path: [String]
    let scope: RenderScope

    func child(named name: String) -> Any? {
        let path = path + [name]
        let dotted = path.joined(separator: ".")
        guard scope.defaultTargets.contains(dotted) else {
            return DefaultsNode(path: path, scope: scope)
        }
        let scope = scope
        return MustacheLambda { fallback -> Any? in
            if case .text(let text)? = scope.context.value(at: dotted), TemplateValue.text(text).isPresent {
                // Not a String: swift-mustache would parse a String as a template (lead data must never be).
                return ContextLeaf(text: text, escapesHTML: scope.escapesHTML)
            }
            guard !fallback.isEmpty else {
                scope.recordMissing(path)
                return ContextLeaf(text: "", escapesHTML: false)
            }
            // The fallback is template text from the file itself; keep swift-mustache from escaping it again.
            return RenderScope.textPragma + fallback
        }
    }
}
