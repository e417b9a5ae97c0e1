/// The state of one render: the values, whether they are HTML-escaped, and the names found missing on the way.
///
/// swift-mustache writes a missing value as an empty string; the wrappers built here (``ContextNode``,
/// ``ContextLeaf``, ``MissingValue``, ``DefaultsNode``) record the name instead, so the render can fail.
/// Renders are synchronous, so this class is used by one render on one thread only.
final class RenderScope {
    /// The text tag that makes swift-mustache insert values as they are (escaping is done by ``ContextLeaf``).
    static let textPragma = "{{%CONTENT_TYPE:TEXT}}"

    let context: TemplateContext
    let escapesHTML: Bool
    /// Dotted names used as `{{#default.name}}` anywhere in the library.
    let defaultTargets: Set<String>
    /// Names a template output that had no value, in the order met.
    private(set) var missing: [String] = []

    init(context: TemplateContext, escapesHTML: Bool, defaultTargets: Set<String>) {
        self.context = context
        self.escapesHTML = escapesHTML
        self.defaultTargets = defaultTargets
    }

    /// The object swift-mustache renders with.
    var root: ContextNode {
        ContextNode(path: [], children: context.values, scope: self)
    }

    /// Notes that the template output `name` while it had no value.
    func recordMissing(_ path: [String]) {
        missing.append(path.joined(separator: "."))
    }

    /// Wraps a context value for swift-mustache.
    func wrap(_ value: TemplateValue, path: [String]) -> Any {
        switch value {
        case .text(let text) where value.isPresent:
            return ContextLeaf(text: text, escapesHTML: escapesHTML)
        case .text:
            return MissingValue(path: path, scope: self)
        case .group(let children):
            return ContextNode(path: path, children: children, scope: self)
        }
    }
}
