import Foundation

/// Reading a templates directory from disk: the only I/O in this module.
extension TemplateLibrary {
    /// Loads every `.mustache` file under `directory` and throws every problem found, each naming its file
    /// relative to the directory's parent (e.g. `templates/inbound-sales/intro.text.mustache:3:14`).
    package static func load(directory: String) throws(TemplateErrors) -> TemplateLibrary {
        let (sources, readErrors) = readSources(directory: directory)
        let (library, errors) = parse(sources)
        let all = readErrors + errors
        guard all.isEmpty else { throw TemplateErrors(all) }
        return library
    }

    /// The `.mustache` files under `directory` (hidden files skipped), with the problems reading them.
    package static func readSources(directory: String) -> (sources: [TemplateSource], errors: [TemplateError]) {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let root = url.lastPathComponent
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return ([], [.unreadable(file: root, reason: "\(directory) is not a directory")])
        }
        guard let relativePaths = manager.enumerator(atPath: url.path) else {
            return ([], [.unreadable(file: root, reason: "cannot list \(directory)")])
        }
        var sources: [TemplateSource] = []
        var errors: [TemplateError] = []
        for case let relative as String in relativePaths {
            guard relative.hasSuffix(".mustache"),
                !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else { continue }
            let path = "\(root)/\(relative)"
            do {
                let text = try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
                sources.append(TemplateSource(path: path, text: text))
            } catch {
                errors.append(.unreadable(file: path, reason: "\(error.localizedDescription)"))
            }
        }
        return (sources.sorted { $0.path < $1.path }, errors)
    }
}
