import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureHTTP
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import Prometheus

/// Shared set-up: the shipped configuration with one API token.
enum HTTPTestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let token = "fuzz-0123456789abcdef0123456789abcdef"

    /// `config/nurture.yaml` with a token named `tests` and a kernel-chosen port.
    static func configuration() throws -> NurtureConfiguration {
        var configuration = try ConfigurationLoader(environment: [:]).load(
            file: repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        configuration.http.tokens = [APIToken(name: "tests", secret: Secret(token))]
        configuration.http.port = 0
        return configuration
    }

    /// Runs `body` with the HTTP interface serving a fresh SQLite store on a kernel-chosen loopback port;
    /// `body` gets the store and the base URL (`http://127.0.0.1:PORT`). The server is stopped afterwards.
    static func withServer<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nurture-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        let configuration = try configuration()
        let interface = HTTPInterface(
            store: store, configuration: { configuration },
            metrics: DaemonMetrics(registry: PrometheusCollectorRegistry()), wake: {},
            log: LogWriter(minimumLevel: .error), startedAt: Date())
        let server = try await HTTPServer.start(interface, settings: configuration.http)
        do {
            let result = try await body(store, "http://\(server.boundAddress)")
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
