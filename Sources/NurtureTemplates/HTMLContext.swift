/// Where a point of an HTML document is, read the way a browser's tokenizer reads it (simplified to what
/// matters for placing a value): in text, inside a tag outside any attribute value, in a quoted or unquoted
/// attribute value, in a comment, or in the raw text of `<script>` or `<style>`.
///
/// Fed one Unicode scalar at a time (per scalar, as browsers read: a quote followed by a combining mark is
/// still a quote). Used by ``TemplateScanner`` to see where each tag of an HTML template lands, and by
/// ``LinkCheck`` to read the attributes of a rendered document. Pure.
struct HTMLContext {
    /// The place a value inserted now would land.
    enum Place: Equatable {
        /// Ordinary text (escaped values are safe here).
        case text
        /// Inside a start tag, but not in an attribute value: a value here can add attributes.
        case tag(element: String)
        /// In an unquoted attribute value (or right after `=`): a space in the value starts a new attribute.
        case unquotedValue(element: String, attribute: String)
        /// In a quoted attribute value.
        case quotedValue(element: String, attribute: String)
        /// In the raw text of `<script>` or `<style>`, which no escaping makes safe.
        case rawText(element: String)
        /// In a comment, a doctype or an end tag.
        case markup
    }

    /// One attribute, as read (entities not decoded).
    struct Attribute: Equatable {
        var element: String
        var name: String
        var value: String
    }

    private enum State {
        case text, tagOpen, tagName, endTag, markup, comment
        case beforeAttributeName, attributeName, afterAttributeName, beforeAttributeValue
        case doubleQuoted, singleQuoted, unquoted
        case rawText
    }

    private var state = State.text
    private var element = ""
    private var attribute = ""
    private var value = ""
    /// The last scalars read in a comment or raw text, to find its end.
    private var tail = ""
    /// Every attribute completed so far, when ``collects`` is set.
    private(set) var attributes: [Attribute] = []
    /// Keep ``attributes`` (for a rendered document); a template scan does not need them.
    var collects = false

    /// Elements whose content is raw text: no tags and no entities inside.
    static let rawTextElements: Set<String> = ["script", "style"]

    /// Where a value inserted at this point lands.
    var place: Place {
        switch state {
        case .text: .text
        case .tagName, .beforeAttributeName, .attributeName, .afterAttributeName: .tag(element: element)
        case .beforeAttributeValue, .unquoted: .unquotedValue(element: element, attribute: attribute)
        case .doubleQuoted, .singleQuoted: .quotedValue(element: element, attribute: attribute)
        case .rawText: .rawText(element: element)
        case .tagOpen, .endTag, .markup, .comment: .markup
        }
    }

    /// A value was inserted right after `=`: the attribute value has begun, unquoted.
    mutating func valueInserted() {
        if state == .beforeAttributeValue { state = .unquoted }
    }

    /// Reads `text`.
    mutating func feed(_ text: some StringProtocol) {
        for scalar in text.unicodeScalars { feed(scalar) }
    }

    /// Reads one scalar.
    mutating func feed(_ scalar: Unicode.Scalar) {
        let isSpace = scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
        switch state {
        case .text:
            if scalar == "<" { state = .tagOpen }
        case .tagOpen:
            if scalar == "!" {
                state = .markup
                tail = ""
            } else if scalar == "/" {
                state = .endTag
            } else if Self.isASCIILetter(scalar) {
                state = .tagName
                element = String(Self.asciiLowercased(scalar))
            } else {
                state = scalar == "<" ? .tagOpen : .text
            }
        case .tagName:
            if isSpace || scalar == "/" {
                state = .beforeAttributeName
            } else if scalar == ">" {
                endOfStartTag()
            } else {
                element.unicodeScalars.append(Self.asciiLowercased(scalar))
            }
        case .endTag:
            if scalar == ">" { state = .text }
        case .markup:
            tail.unicodeScalars.append(scalar)
            if tail == "--" {
                state = .comment
                tail = ""
            } else if scalar == ">" {
                state = .text
            }
        case .comment:
            tail.unicodeScalars.append(scalar)
            if tail.hasSuffix("-->") {
                state = .text
            } else if tail.unicodeScalars.count > 3 {
                tail = String(tail.unicodeScalars.suffix(3))
            }
        case .beforeAttributeName:
            if isSpace || scalar == "/" { break }
            if scalar == ">" {
                endOfStartTag()
            } else {
                state = .attributeName
                attribute = String(Self.asciiLowercased(scalar))
            }
        case .attributeName:
            if isSpace {
                state = .afterAttributeName
            } else if scalar == "/" {
                finishAttribute()
                state = .beforeAttributeName
            } else if scalar == "=" {
                state = .beforeAttributeValue
            } else if scalar == ">" {
                finishAttribute()
                endOfStartTag()
            } else {
                attribute.unicodeScalars.append(Self.asciiLowercased(scalar))
            }
        case .afterAttributeName:
            if isSpace { break }
            if scalar == "=" {
                state = .beforeAttributeValue
            } else {
                finishAttribute()
                if scalar == ">" {
                    endOfStartTag()
                } else if scalar == "/" {
                    state = .beforeAttributeName
                } else {
                    state = .attributeName
                    attribute = String(Self.asciiLowercased(scalar))
                }
            }
        case .beforeAttributeValue:
            if isSpace { break }
            value = ""
            if scalar == "\"" {
                state = .doubleQuoted
            } else if scalar == "'" {
                state = .singleQuoted
            } else if scalar == ">" {
                finishAttribute()
                endOfStartTag()
            } else {
                state = .unquoted
                value.unicodeScalars.append(scalar)
            }
        case .doubleQuoted, .singleQuoted:
            if scalar == (state == .doubleQuoted ? "\"" : "'") {
                finishAttribute()
                state = .beforeAttributeName
            } else {
                value.unicodeScalars.append(scalar)
            }
        case .unquoted:
            if isSpace {
                finishAttribute()
                state = .beforeAttributeName
            } else if scalar == ">" {
                finishAttribute()
                endOfStartTag()
            } else {
                value.unicodeScalars.append(scalar)
            }
        case .rawText:
            tail.unicodeScalars.append(Self.asciiLowercased(scalar))
            let end = "</" + element
            if tail.hasSuffix(end) {
                state = .endTag
                tail = ""
            } else if tail.unicodeScalars.count > end.unicodeScalars.count {
                tail = String(tail.unicodeScalars.suffix(end.unicodeScalars.count))
            }
        }
    }

    /// `scalar` with ASCII upper-case letters lowered, as the HTML tokenizer lowers tag and attribute names (other
    /// scalars are kept as they are). One comparison, no string made per character.
    static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }

    /// An ASCII letter: what may start a tag name.
    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private mutating func finishAttribute() {
        if collects, !attribute.isEmpty {
            attributes.append(Attribute(element: element, name: attribute, value: value))
        }
        attribute = ""
        value = ""
    }

    private mutating func endOfStartTag() {
        if Self.rawTextElements.contains(element) {
            state = .rawText
            tail = ""
        } else {
            state = .text
        }
    }
}
