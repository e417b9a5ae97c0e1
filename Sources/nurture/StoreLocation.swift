import ArgumentParser
import Foundation
import NurtureConfig
import NurtureSQLite

/// Where the store is: the file named by `state.store`, in the directory given by `--state-dir`, else the one
/// systemd sets in `STATE_DIRECTORY` (`StateDirectory=` in the unit), else the configured path.
enum StoreLocation {
    static func path(
        for configuration: NurtureConfiguration, stateDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        let name = URL(fileURLWithPath: configuration.storePath).lastPathComponent
        if let stateDirectory, !stateDirectory.isEmpty {
            return URL(fileURLWithPath: stateDirectory).appendingPathComponent(name).path
        }
        guard let directory = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !directory.isEmpty else {
            return configuration.storePath
        }
        return URL(fileURLWithPath: String(directory)).appendingPathComponent(name).path
    }

    /// Loads the configuration and opens its store, printing the problems and failing when either is unusable.
    ///
    /// With `.readOnly` (the commands that only read: `status`, `why`, `log`, `leads show`, `leads list`,
    /// `render`) a store that does not exist is an error naming the path, and nothing is created.
    static func open(
        config file: String, stateDirectory: String? = nil, access: SQLiteStore.Access = .readWrite
    ) throws -> (NurtureConfiguration, SQLiteStore) {
        let configuration: NurtureConfiguration
        do {
            configuration = try ConfigurationLoader().load(file: file)
        } catch {
            for problem in error.problems { printError("\(problem)") }
            throw ExitCode.failure
        }
        let path = path(for: configuration, stateDirectory: stateDirectory)
        if access == .readOnly, !FileManager.default.fileExists(atPath: path) {
            printError(
                "no store at \(path): the database file does not exist, and this command only reads it (nothing"
                    + " was created). Point it at the daemon's store with --state-dir DIR, or with `state.directory`"
                    + " and `state.store` in \(file) (under systemd, STATE_DIRECTORY); `nurture run` or"
                    + " `nurture leads add` creates a new store")
            throw ExitCode.failure
        }
        do {
            return (configuration, try SQLiteStore(path: path, access: access))
        } catch {
            printError("cannot open the store \(path): \(error)")
            throw ExitCode.failure
        }
    }
}

/// `--state-dir DIR`: the directory holding the store, in place of the configured `state.directory`.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "The directory holding the store (the file named by state.store), in place of state.directory in the"
                + " configuration and of $STATE_DIRECTORY.", valueName: "dir"))
    var path: String?
}
