import Foundation
import Logging
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureHTTP
import NurtureLog
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import Prometheus
import ServiceLifecycle

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
        return try await serve(interface, settings: configuration.http) { address in
            try await body(store, "http://\(address)")
        }
    }

    /// Runs `interface` as an ``HTTPServer`` in a service group, calls `body` with the bound `host:port`, then shuts
    /// the group down gracefully. Throws the server's error when it could not start.
    static func serve<T>(
        _ interface: HTTPInterface, settings: HTTPSettings, _ body: (String) async throws -> T
    ) async throws -> T {
        let (bound, listening) = AsyncStream.makeStream(of: String.self)
        let logger = Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }
        let server = HTTPServer(interface, settings: settings, logger: logger) { address in
            listening.yield(address)
            listening.finish()
        }
        let group = ServiceGroup(services: [server], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { listening.finish() }
                try await group.run()
            }
            var addresses = bound.makeAsyncIterator()
            guard let address = await addresses.next() else {
                // The group ended before the server listened: its error says why.
                try await tasks.waitForAll()
                throw HTTPServerError(
                    address: "\(settings.host):\(settings.port)", underlying: "the server stopped at once")
            }
            do {
                let result = try await body(address)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
