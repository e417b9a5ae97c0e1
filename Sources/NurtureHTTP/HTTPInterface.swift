package import Foundation
package import Hummingbird
package import NurtureConfig
package import NurtureCore
package import NurtureLog
package import NurtureMetrics

/// The daemon's HTTP interface: the JSON lead API under `/v1`, one-click unsubscribe pages, `/metrics` and
/// `/healthz`. Holds what the handlers need; ``makeRouter()`` builds the routes.
package struct HTTPInterface: Sendable {
    /// The store every change goes to (the same the scheduler reads).
    package var store: any SendStore
    /// The configuration in force (reloads change it).
    package var configuration: @Sendable () -> NurtureConfiguration
    /// Counters for `/metrics`.
    package var metrics: DaemonMetrics
    /// Tells the scheduler to look at the store now.
    package var wake: @Sendable () -> Void
    /// The clock (tests may pin it).
    package var now: @Sendable () -> Date
    /// The daemon's log.
    package var log: LogWriter
    /// When the daemon started.
    package var startedAt: Date
    /// The shared database, on several daemons' store (`/healthz`); `nil` on SQLite.
    package var database: DatabaseHealth?
    /// The operator console under `/console`; `nil` when `console:` is not configured.
    package var console: ConsoleRuntime?

    let queueCache = QueueCache()

    /// Makes the interface.
    package init(
        store: any SendStore, configuration: @escaping @Sendable () -> NurtureConfiguration, metrics: DaemonMetrics,
        wake: @escaping @Sendable () -> Void, now: @escaping @Sendable () -> Date = { Date() }, log: LogWriter,
        startedAt: Date, database: DatabaseHealth? = nil
    ) {
        self.database = database
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.wake = wake
        self.now = now
        self.log = log
        self.startedAt = startedAt
    }

    /// The path the unsubscribe pages are served under: the path of `company.unsubscribe_url`
    /// (`https://example.com/unsubscribe` → `/unsubscribe`), so a reverse proxy can pass requests unchanged.
    package static func unsubscribePath(_ configuration: NurtureConfiguration) -> String {
        var path = URLComponents(string: configuration.company.unsubscribeBaseURL)?.path ?? ""
        while path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "/unsubscribe" : path
    }

    /// Every route, with access logging and request counting.
    package func makeRouter() -> Router<NurtureRequestContext> {
        let router = Router(context: NurtureRequestContext.self)
        let unsubscribePath = Self.unsubscribePath(configuration())
        router.add(middleware: AccessLogMiddleware(log: log, metrics: metrics, unsubscribePath: unsubscribePath))
        addOperationsRoutes(to: router)
        addUnsubscribeRoutes(to: router, path: unsubscribePath)
        let api = router.group("v1").add(middleware: BearerAuthMiddleware(tokens: { configuration().http.tokens }))
        addLeadRoutes(to: api)
        if let console { addConsoleRoutes(to: router, console) }
        addMethodNotAllowedRoutes(to: router, api: api, unsubscribePath: unsubscribePath)
        return router
    }

    /// The request body, at most `http.max_body_bytes`; 413 above that.
    func body(of request: Request) async throws -> [UInt8] {
        let limit = configuration().http.maxBodyBytes
        var request = request
        do {
            var buffer = try await request.collectBody(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, field: nil, "the body is larger than \(limit) bytes (http.max_body_bytes)")
        }
    }

    /// Runs store work (the store port is async); store failures become 503 with the store's message.
    func withStore<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as APIError {
            throw error
        } catch {
            log.log(.error, "http_store", ["problem": "\(error)"])
            throw APIError(.serviceUnavailable, field: nil, "the store could not be used: \(error); try again later")
        }
    }
}
