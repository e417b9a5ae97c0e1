import Foundation
internal import Yams

/// Reads `nurture.yaml` into a ``NurtureConfiguration``, collecting every problem rather than stopping at the
/// first.
///
/// Each problem names `file:line:column`, the field path (e.g. `sequences[1].steps[0].delay`), what is wrong
/// and what to do. Relative paths in the file (state directory, templates, password files) are resolved
/// against the folder the file is in.
package struct ConfigurationLoader: Sendable {
    /// The environment secrets are looked up in (`CREDENTIALS_DIRECTORY` for `password_credential`).
    package var environment: [String: String]

    /// Makes a loader reading credentials through `environment`.
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads and validates the configuration file at `path` (reported as written, e.g. `config/nurture.yaml`).
    /// - Throws: ``ConfigurationErrors`` listing every problem found.
    package func load(file path: String) throws(ConfigurationErrors) -> NurtureConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationErrors([
                ConfigurationProblem(
                    file: path, line: nil, column: nil, field: "",
                    problem: "cannot read the configuration file (\(Self.reason(error)))",
                    fix: "check the path given to --config and that the file is readable by this user")
            ])
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try parse(yaml: text, file: path, baseDirectory: directory)
    }

    /// Validates configuration text; `baseDirectory` resolves relative paths and `file` names it in messages.
    /// - Throws: ``ConfigurationErrors`` listing every problem found.
    package func parse(yaml text: String, file: String, baseDirectory: String) throws(ConfigurationErrors)
        -> NurtureConfiguration
    {
        let diagnostics = Diagnostics(file: file)
        let parser = ConfigParser(diagnostics: diagnostics, baseDirectory: baseDirectory, environment: environment)
        let configuration = diagnostics.compose(text).flatMap(parser.parse)
        guard diagnostics.problems.isEmpty, var configuration else {
            throw ConfigurationErrors(diagnostics.sortedProblems)
        }
        configuration.warnings = diagnostics.warnings
        return configuration
    }

    /// Best effort, for `nurture check` when the configuration has problems: the absolute templates directory
    /// the file names (`templates.directory`), or `nil` when it cannot be read or does not name one.
    package func templatesDirectory(file path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let root = try? Yams.compose(yaml: text), let written = root["templates"]?["directory"]?.string
        else { return nil }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        let parser = ConfigParser(diagnostics: Diagnostics(file: path), baseDirectory: directory, environment: [:])
        return parser.resolve(written)
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return POSIXError(code).localizedDescription
        }
        return nsError.localizedDescription
    }
}
