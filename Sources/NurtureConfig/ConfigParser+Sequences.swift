import NurtureCore
internal import Yams

/// The `sequences:` and `rules:` lists.
extension ConfigParser {
    /// One sequence as read, with the nodes later checks point at.
    struct ParsedSequence {
        var value: EmailSequence?
        var id: String?
        var idNode: Node?
        var path: String
        var steps: [(template: String, node: Node?, path: String)]
        var track: Track?
    }

    func sequences(_ top: Fields, defaultWindow: SendWindow) -> [ParsedSequence] {
        guard let items = diagnostics.list(top, "sequences", required: true) else { return [] }
        if items.isEmpty {
            diagnostics.report(
                top["sequences"], "sequences", "no sequence is defined", fix: "define at least one sequence with steps")
        }
        return items.compactMap { item in
            guard
                let fields = diagnostics.fields(
                    item.node, path: item.path, allowed: ["id", "name", "track", "window", "max_lateness", "steps"])
            else { return nil }
            let before = diagnostics.problems.count
            let id = diagnostics.identifier(fields, "id", example: "marketing-nurture")
            let name = diagnostics.text(fields, "name", example: "Marketing nurture")
            let track = diagnostics.choice(fields, "track", Track.allCases.map(\.rawValue), required: true)
                .flatMap(Track.init(rawValue:))
            var window = defaultWindow
            if let node = fields["window"] {
                window = sendWindow(node, path: fields.path("window"), base: defaultWindow) ?? defaultWindow
            }
            let maxLateness = positiveDelay(fields, "max_lateness", advice: "the default is scheduling.max_lateness")
            var parsed = ParsedSequence(id: id, idNode: fields["id"], path: item.path, steps: [], track: track)
            var steps: [SequenceStep] = []
            if let stepItems = diagnostics.list(fields, "steps", required: true) {
                if stepItems.isEmpty {
                    diagnostics.report(
                        fields["steps"], fields.path("steps"), "the sequence has no steps",
                        fix: "add steps, each `- id: ...` with a `delay:`")
                }
                var seen: [String: String] = [:]
                for stepItem in stepItems {
                    guard let step = step(stepItem.node, path: stepItem.path) else { continue }
                    if let first = seen[step.value.id] {
                        diagnostics.report(
                            step.idNode, stepItem.path + ".id",
                            "step id `\(step.value.id)` is already used by \(first)",
                            fix: "give every step of a sequence its own id")
                    }
                    seen[step.value.id] = seen[step.value.id] ?? stepItem.path
                    steps.append(step.value)
                    parsed.steps.append((step.value.template, step.templateNode ?? step.idNode, stepItem.path))
                }
            }
            guard diagnostics.problems.count == before, let id, let track else { return parsed }
            parsed.value = EmailSequence(
                id: id, name: name ?? id, track: track, steps: steps, window: window, maxLateness: maxLateness)
            return parsed
        }
    }

    private func step(_ node: Node, path: String) -> (value: SequenceStep, idNode: Node?, templateNode: Node?)? {
        guard let fields = diagnostics.fields(node, path: path, allowed: ["id", "delay", "template", "condition"])
        else { return nil }
        let id = diagnostics.identifier(fields, "id", example: "welcome")
        let delay = delay(fields, "delay", required: true)
        let template = diagnostics.identifier(optional: fields, "template", example: "welcome")
        var condition: StepCondition?
        if let conditionNode = fields["condition"] {
            condition = stepCondition(conditionNode, path: fields.path("condition"))
            if condition == nil { return nil }
        }
        guard let id, let delay, !fields.has("template") || template != nil else { return nil }
        return (
            SequenceStep(id: id, delay: delay, template: template, condition: condition), fields["id"],
            fields["template"]
        )
    }

    private func stepCondition(_ node: Node, path: String) -> StepCondition? {
        guard let fields = diagnostics.fields(node, path: path, allowed: ["field", "is", "is_not", "present"]) else {
            return nil
        }
        let name = diagnostics.text(fields, "field", required: true, example: "budget")
        var field: LeadField?
        if let name {
            field = LeadField(name: name)
            if field == nil {
                diagnostics.report(
                    fields["field"], fields.path("field"), "`\(name)` is not a lead field",
                    fix: Suggestion.phrase(for: name, in: LeadField.fixedNames) + "use one of "
                        + LeadField.fixedNames.joined(separator: ", ") + ", or attributes.<key>")
            }
        }
        let tests = ["is", "is_not", "present"].filter { fields.has($0) }
        guard tests.count == 1 else {
            diagnostics.report(
                node, path, tests.isEmpty ? "the condition has no test" : "the condition has more than one test",
                fix: "write exactly one of `is: unknown`, `is_not: yes` or `present: true`")
            return nil
        }
        let test: StepCondition.Test
        switch tests[0] {
        case "is":
            guard let value = diagnostics.text(fields, "is", example: "unknown") else { return nil }
            test = .equals(value)
        case "is_not":
            guard let value = diagnostics.text(fields, "is_not", example: "yes") else { return nil }
            test = .notEquals(value)
        default:
            guard let present = diagnostics.boolean(fields, "present") else { return nil }
            test = present ? .present : .absent
        }
        if case .criterion = field, case .equals(let value) = test, CriterionStatus(rawValue: value) == nil {
            diagnostics.report(
                fields["is"], fields.path("is"), "a VBANT criterion is `yes`, `no` or `unknown`, never `\(value)`",
                fix: "write `is: yes`, `is: no` or `is: unknown` (quote them in YAML if you like)")
            return nil
        }
        guard let field else { return nil }
        return StepCondition(field: field, test: test)
    }

    /// One enrollment rule as read.
    struct ParsedRule {
        var value: EnrollmentRule?
        var sequence: String?
        var sequenceNode: Node?
        var path: String
    }

    func rules(_ top: Fields) -> [ParsedRule] {
        guard let items = diagnostics.list(top, "rules", required: true) else { return [] }
        return items.compactMap { item in
            guard let fields = diagnostics.fields(item.node, path: item.path, allowed: ["stage", "source", "sequence"])
            else { return nil }
            let stage = diagnostics.choice(fields, "stage", Stage.allCases.map(\.rawValue), required: true)
                .flatMap(Stage.init(rawValue:))
            let source = diagnostics.choice(fields, "source", LeadSource.allCases.map(\.rawValue))
                .flatMap(LeadSource.init(rawValue:))
            let sequence = diagnostics.text(fields, "sequence", required: true, example: "marketing-nurture")
            var parsed = ParsedRule(sequence: sequence, sequenceNode: fields["sequence"], path: item.path)
            if let stage, stage.isTerminal {
                diagnostics.report(
                    fields["stage"], fields.path("stage"),
                    "`\(stage)` leads receive nothing more, so no rule may enroll them",
                    fix: "remove this rule")
                return parsed
            }
            guard let stage, let sequence, !fields.has("source") || source != nil else { return parsed }
            parsed.value = EnrollmentRule(stage: stage, source: source, sequence: sequence)
            return parsed
        }
    }
}
