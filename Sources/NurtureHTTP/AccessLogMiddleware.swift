import Foundation
import Hummingbird
import NurtureCore
import NurtureLog
import NurtureMetrics

/// Logs each request (method, path with unsubscribe tokens masked, status, milliseconds, token name) and
/// counts it for `/metrics`. Bodies and headers are never logged.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = NurtureRequestContext

    let log: LogWriter
    let metrics: DaemonMetrics
    let unsubscribePath: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let path = masked(request.uri.path)
        let status: Int
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            write(request, path: path, status: status, started: started)
            return response
        } catch let error as any HTTPResponseError {
            write(request, path: path, status: Int(error.status.code), started: started)
            throw error
        } catch {
            write(request, path: path, status: 500, started: started)
            throw error
        }
    }

    private func write(_ request: Request, path: String, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = ScheduleTime.seconds(elapsed) * 1000
        let route = route(path)
        metrics.request(route: route, status: status)
        // Scrapes and health probes come every few seconds: keep them out of the journal unless debugging.
        let quiet = route == "metrics" || route == "healthz"
        log.log(
            status >= 500 ? .warning : quiet ? .debug : .info, "http",
            [
                "method": request.method.rawValue, "path": path, "status": status,
                "ms": String(format: "%.1f", milliseconds),
            ])
    }

    /// `/unsubscribe/<token>` → `/unsubscribe/…`: the token is a credential for that lead's subscription.
    func masked(_ path: String) -> String {
        guard path.hasPrefix(unsubscribePath + "/") else { return path }
        return unsubscribePath + "/…"
    }

    /// A low-cardinality route name for metrics.
    func route(_ path: String) -> String {
        if path.hasPrefix(unsubscribePath + "/") { return "unsubscribe" }
        if path == "/metrics" || path == "/healthz" { return String(path.dropFirst()) }
        if path == "/v1/leads" { return "intake" }
        if path.hasPrefix("/v1/leads/") { return path.hasSuffix("/events") ? "events" : "lead" }
        return "other"
    }
}
