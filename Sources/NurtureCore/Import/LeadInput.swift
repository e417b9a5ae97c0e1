import Foundation

/// Turns operator input — a CSV row, command-line options, an API body — into a ``Lead``: the one set of
/// rules every door applies.
///
/// Keys are the CSV column names: `email`, `first_name`, `last_name`, `company`, `title`, `time_zone`,
/// `stage`, `source`, `owner`, `vision`, `budget`, `need`, `authority`, `timeframe`, `unsubscribed`,
/// `bounced`; any other key becomes a template attribute, named by 1 to 64 ASCII letters, digits or
/// underscores. A value is at most ``maximumTextLength`` characters, on one line. An empty value leaves the
/// field as it was (for a new lead: unset); `unsubscribed` and `bounced` only ever set the flag (`no` never
/// re-subscribes). Pure; the caller checks owners against the configuration.
package enum LeadInput {
    /// The keys with a meaning of their own; everything else is an attribute.
    package static let knownKeys: [String] =
        ["email", "first_name", "last_name", "company", "title", "time_zone", "stage", "source", "owner"]
        + VBANTCriterion.allCases.map(\.rawValue) + ["unsubscribed", "bounced"]

    /// The longest value accepted (names, titles, attribute values), in characters.
    package static let maximumTextLength = 1000

    private static let knownKeySet = Set(knownKeys)

    /// One bad value, named by its key.
    package struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        package var field: String
        package var problem: String
        package var fix: String

        package init(field: String, problem: String, fix: String) {
            self.field = field
            self.problem = problem
            self.fix = fix
        }

        /// `field: problem; fix`, with any control character of the field name or a quoted value escaped
        /// (``PrintableText``): the text comes from the input and is printed on one line.
        package var description: String { PrintableText.escaped("\(field): \(problem); \(fix)") }
    }

    /// Applies `values` to `base` (an existing lead) or makes a new lead; every problem is reported.
    package static func lead(from values: [String: String], base: Lead?) -> Result<Lead, Problems> {
        var problems: [Problem] = []
        func value(_ key: String) -> String? {
            guard let raw = values[key].map(trimmingWhitespace), !raw.isEmpty else { return nil }
            return raw
        }
        // Line breaks and other control characters have no place in a name or an attribute; refusing them
        // here names the field (the composer would also fold them away, but silently).
        // Sorting the keys only when there is something to report keeps the common case cheap.
        let withControl = values.values.contains(where: containsControl) ? values.keys.sorted() : []
        for key in withControl where values[key].map(containsControl) == true {
            problems.append(
                Problem(
                    field: key,
                    problem:
                        "contains a line break or another control character (`\(values[key] ?? "")`, shown escaped)",
                    fix: "remove it; write the value on one line"))
        }
        var email = base?.email
        if let text = value("email") {
            do {
                email = try EmailAddress(text)
            } catch {
                problems.append(
                    Problem(field: "email", problem: "\(error)", fix: "write an address like ana@example.com"))
            }
        } else if base == nil {
            problems.append(Problem(field: "email", problem: "is missing", fix: "every lead needs an email address"))
        }
        var lead = base ?? Lead(email: email ?? placeholderAddress)
        if let email { lead.email = email }
        if let text = value("first_name") { lead.firstName = text }
        if let text = value("last_name") { lead.lastName = text }
        if let text = value("company") { lead.company = text }
        if let text = value("title") { lead.title = text }
        if let text = value("owner") { lead.owner = text == "none" ? nil : text }
        if let text = value("time_zone") {
            if TimeZone(identifier: text) != nil {
                lead.timeZone = text
            } else {
                problems.append(
                    Problem(
                        field: "time_zone", problem: "`\(text)` is not an IANA time zone",
                        fix: "write a zone such as Europe/Berlin or America/New_York"))
            }
        }
        if let text = value("stage") {
            if let stage = Stage(rawValue: text.lowercased()) {
                lead.stage = stage
            } else {
                problems.append(
                    Problem(field: "stage", problem: "`\(text)` is not a stage", fix: "use one of: \(Stage.allNames)"))
            }
        }
        if let text = value("source") {
            if let source = LeadSource(rawValue: text.lowercased()) {
                lead.source = source
            } else {
                problems.append(
                    Problem(field: "source", problem: "`\(text)` is not a source", fix: "use inbound or outbound"))
            }
        }
        for criterion in VBANTCriterion.allCases {
            guard let text = value(criterion.rawValue) else { continue }
            let normalized = ["true": "yes", "false": "no"][text.lowercased()] ?? text.lowercased()
            if let status = CriterionStatus(rawValue: normalized) {
                lead.qualification[criterion] = status
            } else {
                problems.append(
                    Problem(
                        field: criterion.rawValue, problem: "`\(text)` is not yes, no or unknown",
                        fix: "write yes, no or unknown"))
            }
        }
        for flag in ["unsubscribed", "bounced"] {
            guard let text = value(flag) else { continue }
            switch text.lowercased() {
            case "yes", "true", "1":
                if flag == "bounced" { lead.hasBounced = true } else { lead.isUnsubscribed = true }
            case "no", "false", "0": break
            default:
                problems.append(Problem(field: flag, problem: "`\(text)` is not yes or no", fix: "write yes or no"))
            }
        }
        for key in values.keys.sorted() where values[key]!.count > maximumTextLength {
            problems.append(
                Problem(
                    field: key, problem: "is longer than \(maximumTextLength) characters",
                    fix: "shorten it to at most \(maximumTextLength)"))
        }
        for (key, raw) in values where !knownKeySet.contains(key) {
            guard !key.isEmpty else { continue }
            if let problem = attributeNameProblem(key) {
                problems.append(problem)
            } else {
                lead.attributes[key] = raw
            }
        }
        if !problems.isEmpty { return .failure(Problems(problems)) }
        return .success(lead)
    }

    /// Why `key` cannot name an attribute, or `nil`: 1 to 64 ASCII letters, digits or underscores, as templates
    /// use it (`{{attributes.NAME}}`).
    package static func attributeNameProblem(_ key: String) -> Problem? {
        let usable =
            (1...64).contains(key.count)
            && key.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            }
        guard !usable else { return nil }
        return Problem(
            field: key, problem: "is not a usable attribute name",
            fix: "name an attribute with 1 to 64 letters, digits or underscores (templates use it as"
                + " {{attributes.NAME}}), or use one of the lead fields: \(knownKeys.joined(separator: ", "))")
    }

    /// Every problem of one input.
    package struct Problems: Error, Sendable, Hashable, CustomStringConvertible {
        package var all: [Problem]

        package init(_ all: [Problem]) { self.all = all }

        package var description: String { all.map(\.description).joined(separator: "; ") }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// Whether `text` has a control character or a line or paragraph separator; ASCII is checked without
    /// looking up Unicode properties (a CSV import checks millions of values).
    static func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.isASCII ? scalar.value < 0x20 || scalar.value == 0x7F : isControl(scalar)
        }
    }

    /// `text` without leading and trailing spaces and tabs (Unicode category Zs and U+0009), as
    /// `trimmingCharacters(in: .whitespaces)` gives, without Foundation's bridging in the common case of
    /// nothing to trim.
    package static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isWhitespace(first), !isWhitespace(last) { return text }
        guard let start = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isWhitespace($0) })!
        return String(scalars[start...end])
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || scalar == "\t" : scalar.properties.generalCategory == .spaceSeparator
    }

    // Only used while a missing address is being reported; never stored.
    private static let placeholderAddress = try! EmailAddress("missing@invalid.example")
}
