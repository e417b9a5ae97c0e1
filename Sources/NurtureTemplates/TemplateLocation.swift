/// Where a file sits in the templates layout: a step file of a sequence, or a partial.
struct TemplateLocation: Hashable {
    /// The sequence id, or `nil` for a partial.
    let sequence: String?
    /// The step id, or the partial's name.
    let name: String
    let kind: TemplateKind

    /// Reads `root/<sequence>/<step>.<kind>.mustache` or `root/partials/<name>.<text|html>.mustache`.
    init?(path: String, root: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0] == root, !parts[1].isEmpty, parts[2].hasSuffix(".mustache") else {
            return nil
        }
        let stem = parts[2].dropLast(".mustache".count)
        guard let dot = stem.lastIndex(of: "."),
            let kind = TemplateKind(rawValue: String(stem[stem.index(after: dot)...]))
        else { return nil }
        let name = String(stem[..<dot])
        guard !name.isEmpty, !name.contains(".") else { return nil }
        if parts[1] == "partials" {
            guard kind != .subject else { return nil }
            self.sequence = nil
        } else {
            self.sequence = parts[1]
        }
        self.name = name
        self.kind = kind
    }
}
