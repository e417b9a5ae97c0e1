/// The tags of a template that matter for strictness, nested as sections nest (text between tags is left out).
indirect enum TemplateNode: Sendable, Hashable {
    /// `{{name}}`, `{{{name}}}` or `{{&name}}`: outputs a value.
    case value(VariableReference)
    /// `{{#name}}`, `{{^name}}` or `{{#default.name}}` with the tags inside it; `isEmpty` when nothing at all
    /// stands between its opening and closing tags.
    case section(VariableReference, children: [TemplateNode], isEmpty: Bool)
    /// `{{> name}}`.
    case partial(PartialReference)

    /// Every variable reference in these nodes, in document order.
    static func variables(in nodes: [TemplateNode]) -> [VariableReference] {
        nodes.flatMap { node -> [VariableReference] in
            switch node {
            case .value(let reference): return [reference]
            case .section(let reference, let children, _): return [reference] + variables(in: children)
            case .partial: return []
            }
        }
    }

    /// Every partial reference in these nodes, in document order.
    static func partials(in nodes: [TemplateNode]) -> [PartialReference] {
        nodes.flatMap { node -> [PartialReference] in
            switch node {
            case .value: return []
            case .section(_, let children, _): return partials(in: children)
            case .partial(let reference): return [reference]
            }
        }
    }
}
