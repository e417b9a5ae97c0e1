/// Checks for `nurture check`: pure, no I/O.
extension TemplateLibrary {
    /// Every tag naming a variable outside ``TemplateVariables``, in path order.
    package func unknownVariables() -> [TemplateError] {
        files.flatMap { file in
            file.variables
                .filter { $0.name != "." && !$0.name.hasPrefix(".") && !TemplateVariables.isKnown($0.name) }
                .map {
                    TemplateError.unknownVariable(file: file.path, line: $0.line, column: $0.column, variable: $0.name)
                }
        }
    }

    /// Unknown variables, plus every step of the given sequences rendered on its track against
    /// ``TemplateVariables/syntheticContext(for:)``; a sequence with no templates is reported too.
    package func problems(tracks: [String: TemplateTrack]) -> [TemplateError] {
        var problems = unknownVariables()
        for (sequence, track) in tracks.sorted(by: { $0.key < $1.key }) {
            let stepIDs = stepIDs(in: sequence)
            if stepIDs.isEmpty {
                problems.append(
                    .missingTemplate(file: "\(root)/\(sequence)/", needed: "sequence `\(sequence)`"))
            }
            for (index, step) in stepIDs.enumerated() {
                var context = TemplateVariables.syntheticContext(for: track)
                context["sequence.id"] = sequence
                context["step.id"] = step
                context["step.number"] = String(index + 1)
                do {
                    _ = try render(sequence: sequence, step: step, track: track, context: context)
                } catch {
                    problems.append(error)
                }
            }
        }
        return problems
    }
}
