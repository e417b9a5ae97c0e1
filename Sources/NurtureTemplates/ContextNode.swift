internal import Mustache

/// A group of context values as swift-mustache sees it; an unknown name yields a ``MissingValue``.
struct ContextNode: MustacheParent, MustacheCustomRenderable {
    let path: [String]
    let children: [String: TemplateValue]
    let scope: RenderScope

    func child(named name: String) -> Any? {
        if path.isEmpty, name == "default" {
            return DefaultsNode(path: [], scope: scope)
        }
        guard let value = children[name] else {
            return MissingValue(path: path + [name], scope: scope)
        }
        return scope.wrap(value, path: path + [name])
    }

    /// A group written out as a value is a template mistake: record it so the render fails.
    var renderText: String {
        scope.recordMissing(path)
        return ""
    }

    /// An empty group is absent in sections; the root never is (a `{{#default.…}}` fallback renders against it).
    var isNull: Bool { !path.isEmpty && children.isEmpty }
}
