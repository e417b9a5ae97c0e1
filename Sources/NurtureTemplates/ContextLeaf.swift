internal import Mustache

/// A present text value as swift-mustache sees it, escaped per Unicode scalar when rendering HTML.
struct ContextLeaf: MustacheParent, MustacheCustomRenderable, MustacheTransformable, CustomStringConvertible {
    let text: String
    let escapesHTML: Bool

    /// No children: inside `{{#lead.company}}` names are looked up further out, as Mustache does.
    func child(named name: String) -> Any? { nil }

    var renderText: String { escapesHTML ? HTMLEscaper.escape(text) : text }

    var isNull: Bool { false }

    /// Used when a `{{#default.name}}` section writes the value.
    var description: String { renderText }

    func transform(_ name: String) -> Any? {
        switch name {
        case "capitalized": return ContextLeaf(text: text.capitalizedWords, escapesHTML: escapesHTML)
        case "lowercased": return ContextLeaf(text: text.lowercased(), escapesHTML: escapesHTML)
        case "uppercased": return ContextLeaf(text: text.uppercased(), escapesHTML: escapesHTML)
        default: return nil
        }
    }
}

extension String {
    /// Every word with its first letter in upper case and the rest in lower case.
    var capitalizedWords: String {
        var result = ""
        var atWordStart = true
        for character in self {
            result += atWordStart ? character.uppercased() : character.lowercased()
            atWordStart = !(character.isLetter || character.isNumber)
        }
        return result
    }
}
