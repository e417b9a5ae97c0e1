import Foundation
import NurtureCore
internal import Yams

/// Checks across sections: duplicate ids, rules naming missing sequences, sequences no rule reaches,
/// salespeople referenced but undefined, steps and partials without template files.
extension ConfigParser {
    func crossCheck(
        people: [ParsedSalesperson], sequences: [ParsedSequence], rules: [ParsedRule],
        pool: [(id: String, node: Node)]?, templates: TemplatesDirectory?, sender: MarketingSender?
    ) {
        reportDuplicates(
            people.compactMap { person in person.id.map { ($0, person.idNode, person.path) } }, kind: "salesperson")
        reportDuplicates(
            sequences.compactMap { sequence in sequence.id.map { ($0, sequence.idNode, sequence.path) } },
            kind: "sequence")

        let sequenceIDs = sequences.compactMap(\.id)
        for rule in rules {
            guard let id = rule.sequence, !sequenceIDs.contains(id) else { continue }
            diagnostics.report(
                rule.sequenceNode, rule.path + ".sequence", "sequence `\(id)` is not defined",
                fix: Suggestion.phrase(for: id, in: sequenceIDs) + "name one of the sequences: "
                    + sequenceIDs.joined(separator: ", "))
        }
        var seenRules: [String: String] = [:]
        for rule in rules {
            guard let value = rule.value else { continue }
            let key = "\(value.stage)/\(value.source?.rawValue ?? "any")"
            if let first = seenRules[key] {
                diagnostics.report(
                    rule.sequenceNode, rule.path,
                    "a rule for stage `\(value.stage)` and source"
                        + " `\(value.source?.rawValue ?? "any")` is already given by \(first)",
                    fix: "keep one rule per stage and source")
            }
            seenRules[key] = seenRules[key] ?? rule.path
        }
        let reached = Set(rules.compactMap(\.sequence))
        for sequence in sequences {
            guard let id = sequence.id, !reached.contains(id) else { continue }
            diagnostics.report(
                sequence.idNode, sequence.path + ".id", "no rule enrolls leads in sequence `\(id)`, so it never sends",
                fix: "add a rule such as `- { stage: lead, sequence: \(id) }` under rules, or remove the sequence")
        }

        let personIDs = people.compactMap(\.id)
        for entry in pool ?? [] where !personIDs.contains(entry.id) {
            diagnostics.report(
                entry.node, "options.round_robin_pool", "salesperson `\(entry.id)` is not defined",
                fix: Suggestion.phrase(for: entry.id, in: personIDs) + "define them under salespeople, or name one of: "
                    + personIDs.joined(separator: ", "))
        }
        if personIDs.isEmpty {
            for sequence in sequences where sequence.track == .sales {
                diagnostics.report(
                    sequence.idNode, sequence.path + ".track",
                    "sales sequence `\(sequence.id ?? "?")` needs salespeople"
                        + " to send as, and none is defined", fix: "add salespeople, or make this a marketing sequence")
            }
        }

        guard let templates else { return }
        for sequence in sequences {
            guard let id = sequence.id else { continue }
            for step in sequence.steps {
                for kind in ["subject", "text"] {
                    let relative = "\(id)/\(step.template).\(kind).mustache"
                    guard !exists(templates, relative) else { continue }
                    diagnostics.report(
                        step.node, step.path,
                        "the step's \(kind) template \(templates.written)/\(relative) does not exist",
                        fix: "create it (see docs/templates.md), or fix the step's id or `template:`")
                }
            }
        }
        for person in people {
            guard let value = person.value else { continue }
            let relative = "partials/\(value.signature).text.mustache"
            guard !exists(templates, relative) else { continue }
            diagnostics.report(
                person.signatureNode ?? person.idNode, person.path + ".signature",
                "the signature partial \(templates.written)/\(relative) does not exist",
                fix: "create it, or remove `signature:` to use the shared `signature` partial")
        }
        if sequences.contains(where: { $0.track == .marketing }), !exists(templates, "partials/footer.text.mustache") {
            diagnostics.report(
                templates.node, "templates.directory",
                "marketing mail needs the footer partial \(templates.written)/partials/footer.text.mustache",
                fix: "create it with the company's postal address and {{unsubscribe_url}}")
        }
    }

    /// Watched mailboxes: names unique (each keys a cursor), owners configured salespeople.
    func crossCheck(mailboxes: [ParsedMailbox], people: [ParsedSalesperson]) {
        var first: [String: String] = [:]
        for box in mailboxes {
            guard let name = box.name else { continue }
            if let earlier = first[name] {
                diagnostics.report(
                    box.nameNode, box.path + ".name", "mailbox name `\(name)` is already used by \(earlier)",
                    fix: "give every mailbox its own name (it keys the mailbox's cursor)")
            }
            first[name] = first[name] ?? box.path
        }
        let personIDs = people.compactMap(\.id)
        for box in mailboxes {
            guard let owner = box.owner, !personIDs.contains(owner) else { continue }
            diagnostics.report(
                box.ownerNode, box.path + ".owner", "salesperson `\(owner)` is not defined",
                fix: Suggestion.phrase(for: owner, in: personIDs) + "name the salesperson whose mailbox it is ("
                    + personIDs.joined(separator: ", ") + "), or remove `owner:` for the marketing mailbox")
        }
    }

    private func exists(_ templates: TemplatesDirectory, _ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: templates.absolute + "/" + relative)
    }

    private func reportDuplicates(_ entries: [(String, Node?, String)], kind: String) {
        var first: [String: String] = [:]
        for (id, node, path) in entries {
            if let earlier = first[id] {
                diagnostics.report(
                    node, path + ".id", "\(kind) id `\(id)` is already used by \(earlier)",
                    fix: "give every \(kind) its own id")
            } else {
                first[id] = path
            }
        }
    }
}
