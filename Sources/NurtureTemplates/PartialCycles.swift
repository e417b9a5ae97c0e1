/// Finds partials that include each other in a loop, which would make rendering recurse forever.
enum PartialCycles {
    /// One error per loop, at the tag that closes it.
    static func find(in partials: [String: TemplateFile]) -> [TemplateError] {
        var errors: [TemplateError] = []
        var reported: Set<Set<String>> = []
        func visit(_ name: String, chain: [String]) {
            guard let file = partials[name] else { return }
            for reference in file.partials {
                if let start = chain.firstIndex(of: reference.name) {
                    let loop = Array(chain[start...]) + [name]
                    if reported.insert(Set(loop)).inserted {
                        errors.append(
                            .partialCycle(
                                file: file.path, line: reference.line, column: reference.column,
                                chain: loop + [reference.name]))
                    }
                } else if reference.name != name {
                    visit(reference.name, chain: chain + [name])
                } else if reported.insert([name]).inserted {
                    errors.append(
                        .partialCycle(
                            file: file.path, line: reference.line, column: reference.column, chain: [name, name]))
                }
            }
        }
        for name in partials.keys.sorted() { visit(name, chain: []) }
        return errors
    }
}
