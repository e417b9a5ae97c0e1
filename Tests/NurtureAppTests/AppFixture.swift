import Foundation
import NurtureConfig
import NurtureSQLite

/// The repository's shipped configuration and a new SQLite store in a private directory.
enum AppFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped `config/nurture.yaml`.
    static func configuration() throws -> NurtureConfiguration {
        try ConfigurationLoader().load(file: repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
    }

    /// Runs `body` with the shipped configuration and a new store, removed afterwards.
    static func withStore<T>(
        _ body: (NurtureConfiguration, SQLiteStore) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-app-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(
            try configuration(), try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path))
    }
}
