import Foundation

@testable import NurtureConfig

/// Temporary config folders for tests: the shipped config and templates, copied, then broken on purpose.
enum ConfigFixtures {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var shippedConfig: String { packageRoot.appendingPathComponent("config/nurture.yaml").path }

    static var shippedText: String { try! String(contentsOfFile: shippedConfig, encoding: .utf8) }

    /// Runs `body` with a fresh folder holding `config/nurture.yaml` (the given text) and a copy of `templates/`;
    /// the folder is removed afterwards.
    static func withConfig<T>(
        _ text: String, environment: [String: String] = [:], _ body: (String, ConfigurationLoader) throws -> T
    ) rethrows -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-config-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(
            at: root.appendingPathComponent("config"), withIntermediateDirectories: true)
        try! FileManager.default.copyItem(
            at: packageRoot.appendingPathComponent("templates"), to: root.appendingPathComponent("templates"))
        let file = root.appendingPathComponent("config/nurture.yaml").path
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: root) }
        return try body(file, ConfigurationLoader(environment: environment))
    }

    /// The problems loading `text` reports (empty when it loads).
    static func problems(_ text: String, environment: [String: String] = [:]) -> [ConfigurationProblem] {
        withConfig(text, environment: environment) { file, loader in
            do throws(ConfigurationErrors) {
                _ = try loader.load(file: file)
                return []
            } catch {
                return error.problems
            }
        }
    }

    /// The shipped text with the first occurrence of `old` replaced by `new`.
    static func shipped(replacing old: String, with new: String) -> String {
        let text = shippedText
        precondition(text.contains(old), "the shipped config no longer contains \(old)")
        return text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old))
    }

    /// The 1-based line where `needle` (which may span lines) first starts a line of `text`, else where it
    /// first occurs; 0 when absent.
    static func line(of needle: String, in text: String) -> Int {
        guard let range = ("\n" + text).range(of: "\n" + needle) ?? ("\n" + text).range(of: needle) else { return 0 }
        return ("\n" + text)[..<range.upperBound].filter { $0 == "\n" }.count - needle.filter { $0 == "\n" }.count
    }
}
