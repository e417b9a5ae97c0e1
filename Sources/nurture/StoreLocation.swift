import ArgumentParser
import Foundation
import NurtureConfig
import NurtureSQLite

/// Where the store is: the configured `state.store`, or, when systemd sets `STATE_DIRECTORY`
/// (`StateDirectory=` in the unit), the same file name in that directory.
enum StoreLocation {
    static func path(
        for configuration: NurtureConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        guard let directory = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !directory.isEmpty else {
            return configuration.storePath
        }
        let name = URL(fileURLWithPath: configuration.storePath).lastPathComponent
        return URL(fileURLWithPath: String(directory)).appendingPathComponent(name).path
    }

    /// Loads the configuration and opens its store, printing the problems and failing when either is unusable.
    static func open(config file: String) throws -> (NurtureConfiguration, SQLiteStore) {
        let configuration: NurtureConfiguration
        do {
            configuration = try ConfigurationLoader().load(file: file)
        } catch {
            for problem in error.problems { printError("\(problem)") }
            throw ExitCode.failure
        }
        let path = path(for: configuration)
        do {
            return (configuration, try SQLiteStore(path: path))
        } catch {
            printError("cannot open the store \(path): \(error)")
            throw ExitCode.failure
        }
    }
}
