import Foundation
package import NurtureCore
internal import Yams

/// Reads one lead from a small YAML or JSON file, for `nurture render --lead FILE` and tests.
///
/// Keys: `email` (required), `first_name`, `last_name`, `company`, `title`, `time_zone`, `stage`, `source`,
/// `owner`, `qualification` (`vision`, `budget`, `need`, `authority`, `timeframe`: yes/no/unknown),
/// `attributes` (a mapping of text values), `unsubscribed`, `bounced`.
package enum LeadFile {
    static let keys = [
        "email", "first_name", "last_name", "company", "title", "time_zone", "stage", "source", "owner",
        "qualification", "attributes", "unsubscribed", "bounced",
    ]

    /// Loads the lead file at `path` (named as given in messages).
    /// - Throws: ``ConfigurationErrors`` listing every problem with file, line, column and field.
    package static func load(file path: String) throws(ConfigurationErrors) -> Lead {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationErrors([
                ConfigurationProblem(
                    file: path, line: nil, column: nil, field: "", problem: "cannot read the lead file",
                    fix: "check the path given to --lead")
            ])
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Reads a lead from YAML or JSON text.
    /// - Throws: ``ConfigurationErrors`` listing every problem.
    package static func parse(_ text: String, file: String) throws(ConfigurationErrors) -> Lead {
        let diagnostics = Diagnostics(file: file)
        var result: Lead?
        if let root = diagnostics.compose(text) { result = lead(root, diagnostics: diagnostics) }
        guard diagnostics.problems.isEmpty, let result else { throw ConfigurationErrors(diagnostics.sortedProblems) }
        return result
    }

    private static func lead(_ root: Node, diagnostics: Diagnostics) -> Lead? {
        guard let fields = diagnostics.fields(root, path: "", allowed: keys) else { return nil }
        let email = diagnostics.address(fields, "email", required: true)
        let stage = diagnostics.choice(fields, "stage", Stage.allCases.map(\.rawValue)).flatMap(Stage.init(rawValue:))
        let source = diagnostics.choice(fields, "source", LeadSource.allCases.map(\.rawValue))
            .flatMap(LeadSource.init(rawValue:))
        var qualification = Qualification()
        if let node = fields["qualification"],
            let criteria = diagnostics.fields(
                node, path: "qualification", allowed: VBANTCriterion.allCases.map(\.rawValue))
        {
            for criterion in VBANTCriterion.allCases {
                guard let text = diagnostics.text(criteria, criterion.rawValue, example: "unknown") else { continue }
                let normalized = ["true": "yes", "false": "no"][text.lowercased()] ?? text.lowercased()
                if let status = CriterionStatus(rawValue: normalized) {
                    qualification[criterion] = status
                } else {
                    diagnostics.report(
                        criteria[criterion.rawValue], criteria.path(criterion.rawValue),
                        "`\(text)` is not yes, no or unknown", fix: "write yes, no or unknown")
                }
            }
        }
        var attributes: [String: String] = [:]
        if let node = fields["attributes"] {
            if case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let name = key.scalar?.string,
                        let text = diagnostics.text(value, path: "attributes.\(key.scalar?.string ?? "?")")
                    else { continue }
                    attributes[name] = text
                }
            } else {
                diagnostics.report(
                    node, "attributes", "expected a mapping, found \(Diagnostics.kind(of: node))",
                    fix: "write attributes as `key: value` lines")
            }
        }
        let zone = diagnostics.timeZone(fields, "time_zone")
        guard let email else { return nil }
        return Lead(
            email: email, firstName: diagnostics.text(fields, "first_name"),
            lastName: diagnostics.text(fields, "last_name"), company: diagnostics.text(fields, "company"),
            title: diagnostics.text(fields, "title"), timeZone: zone, stage: stage ?? .subscriber,
            source: source ?? .inbound, owner: diagnostics.text(fields, "owner"), qualification: qualification,
            attributes: attributes, isUnsubscribed: diagnostics.boolean(fields, "unsubscribed") ?? false,
            hasBounced: diagnostics.boolean(fields, "bounced") ?? false)
    }
}
