import Foundation
import NurtureCore
internal import Yams

/// Typed reads of YAML values; each reports a precise problem and returns `nil` when the value is unusable.
extension Diagnostics {
    /// The entries of a mapping, reporting a non-mapping and every key not in `allowed`.
    func fields(_ node: Node, path: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(
                node, path, "expected a mapping (`key: value` lines), found \(Self.kind(of: node))",
                fix: "write the keys indented under `\(path.isEmpty ? "the top level" : path)`: "
                    + allowed.prefix(4).joined(separator: ", ") + (allowed.count > 4 ? ", ..." : ""))
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(key, path, "a key must be a plain name", fix: "write one of: \(allowed.joined(separator: ", "))")
                continue
            }
            let name = scalar.string
            let keyPath = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                report(
                    key, keyPath, "unknown key `\(name)`",
                    fix: Suggestion.phrase(for: name, in: allowed) + "the keys allowed here are "
                        + allowed.joined(separator: ", "))
                continue
            }
            entries[name] = (key, value)
        }
        return Fields(node: node, path: path, entries: entries)
    }

    /// Reports a required key that is absent.
    func missing(_ fields: Fields, _ key: String, example: String) {
        report(
            fields.node, fields.path(key), "required key `\(key)` is missing",
            fix: "add `\(key): \(example)` under \(fields.path.isEmpty ? "the top level" : "`\(fields.path)`")")
    }

    /// A scalar's text (trimmed); reports lists, mappings and (when required) absence or blank text.
    func text(_ fields: Fields, _ key: String, required: Bool = false, example: String = "...") -> String? {
        guard let node = fields[key] else {
            if required { missing(fields, key, example: example) }
            return nil
        }
        return text(node, path: fields.path(key), example: example)
    }

    /// A scalar node's text (trimmed), reporting anything else, or blank text.
    func text(_ node: Node, path: String, example: String = "...") -> String? {
        guard case .scalar(let scalar) = node else {
            report(
                node, path, "expected a single value, found \(Self.kind(of: node))",
                fix: "write one value, e.g. `\(path.split(separator: ".").last ?? ""): \(example)`")
            return nil
        }
        let value = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else {
            report(node, path, "the value is empty", fix: "write a value, e.g. \(example)")
            return nil
        }
        return value
    }

    /// A whole number in `range`.
    func integer(_ fields: Fields, _ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let node = fields[key] else {
            if required { missing(fields, key, example: "\(range.lowerBound)") }
            return nil
        }
        guard let text = text(node, path: fields.path(key), example: "\(range.lowerBound)") else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bound =
                range.upperBound == .max
                ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            report(
                node, fields.path(key), "`\(text)` is not a whole number \(bound)", fix: "write a whole number \(bound)"
            )
            return nil
        }
        return value
    }

    /// `true` or `false` (YAML's yes/no/on/off are accepted as well).
    func boolean(_ fields: Fields, _ key: String) -> Bool? {
        guard let node = fields[key] else { return nil }
        guard let text = text(node, path: fields.path(key), example: "true") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, fields.path(key), "`\(text)` is not true or false", fix: "write `true` or `false`")
            return nil
        }
    }

    /// The items of a list with their paths (`key[0]`, `key[1]`, ...); a single value counts as a list of one
    /// only when `allowSingle` is set.
    func list(_ fields: Fields, _ key: String, required: Bool = false, allowSingle: Bool = false)
        -> [(node: Node, path: String)]?
    {
        guard let node = fields[key] else {
            if required { missing(fields, key, example: "[...]") }
            return nil
        }
        let path = fields.path(key)
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { ($1, "\(path)[\($0)]") }
        case .scalar where allowSingle:
            return [(node, path)]
        default:
            report(
                node, path, "expected a list, found \(Self.kind(of: node))", fix: "write the items as `- item` lines")
            return nil
        }
    }

    /// A validated email address.
    func address(_ fields: Fields, _ key: String, required: Bool = false) -> EmailAddress? {
        guard let text = text(fields, key, required: required, example: "name@example.com") else { return nil }
        do {
            return try EmailAddress(text)
        } catch {
            report(fields[key], fields.path(key), "\(error)", fix: "write an address like name@example.com")
            return nil
        }
    }

    /// An IANA time-zone identifier Foundation knows, e.g. `Europe/Berlin`.
    func timeZone(_ fields: Fields, _ key: String, required: Bool = false) -> String? {
        guard let text = text(fields, key, required: required, example: "Europe/Berlin") else { return nil }
        guard TimeZone(identifier: text) != nil else {
            let known = TimeZone.knownTimeZoneIdentifiers
            report(
                fields[key], fields.path(key), "`\(text)` is not an IANA time zone",
                fix: Suggestion.phrase(for: text, in: known)
                    + "write a zone from the tz database such as Europe/Berlin or America/New_York")
            return nil
        }
        return text
    }

    /// An `https://` URL (or `http://` when `allowHTTP`).
    func url(_ fields: Fields, _ key: String, required: Bool = false, allowHTTP: Bool = false) -> String? {
        guard let text = text(fields, key, required: required, example: "https://example.com/...") else { return nil }
        let schemes = allowHTTP ? ["https://", "http://"] : ["https://"]
        guard let scheme = schemes.first(where: { text.lowercased().hasPrefix($0) }), text.count > scheme.count,
            !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }),
            URL(string: text) != nil
        else {
            report(
                fields[key], fields.path(key), "`\(text)` is not a valid \(allowHTTP ? "http(s)" : "https") URL",
                fix: "write a full URL starting with \(schemes.joined(separator: " or ")), without spaces")
            return nil
        }
        return text
    }

    /// A value that must be one of `choices`.
    func choice(_ fields: Fields, _ key: String, _ choices: [String], required: Bool = false) -> String? {
        guard let text = text(fields, key, required: required, example: choices.first ?? "") else { return nil }
        guard choices.contains(text) else {
            report(
                fields[key], fields.path(key), "`\(text)` is not one of \(choices.joined(separator: ", "))",
                fix: Suggestion.phrase(for: text, in: choices) + "write one of \(choices.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// An id: lower-case letters, digits and `-`, starting with a letter (safe as a directory name).
    func identifier(_ fields: Fields, _ key: String, example: String) -> String? {
        guard let text = text(fields, key, required: true, example: example) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard allowed, text.unicodeScalars.first.map({ ("a"..."z").contains($0) }) == true else {
            report(
                fields[key], fields.path(key), "`\(text)` is not a valid id",
                fix: "use lower-case letters, digits, '-' and '_', starting with a letter, e.g. \(example)")
            return nil
        }
        return text
    }

    /// "a list", "a mapping" or "the value `x`", for messages.
    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar): return "the value `\(scalar.string)`"
        case .alias: return "an alias"
        }
    }
}
