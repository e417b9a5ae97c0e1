import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
public import NurtureConfig
import NurtureDaemon
import ServiceLifecycle

/// Runs the ``HTTPInterface`` on the configured address until ``stop()``.
///
/// Idle and slow connections are closed after ``HTTPSettings/idleTimeout``; at most
/// ``HTTPSettings/maxConnections`` are open at once (the rest wait in the kernel's listen backlog).
///
/// The listener is bound before ``start()`` returns, so a port that is taken fails the daemon's start-up with a
/// clear message instead of a silent half-working service.
public final class HTTPServer: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    /// `host:port` actually bound (the port is the kernel's choice when configured as 0).
    public let boundAddress: String

    private init(group: ServiceGroup, task: Task<Void, any Error>, boundAddress: String) {
        self.group = group
        self.task = task
        self.boundAddress = boundAddress
    }

    /// Binds and starts serving; throws when the address cannot be bound.
    public static func start(_ interface: HTTPInterface, settings: HTTPSettings) async throws -> HTTPServer {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: String.self)
        var logger = Logger(label: "nurture.http")
        logger.logLevel = .critical
        let application = Application(
            router: interface.makeRouter(),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: TimeAmount(settings.idleTimeout))),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(settings.maxConnections)),
            onServerRunning: { channel in
                let address = channel.localAddress
                let host = address?.ipAddress ?? settings.host
                let shown = host.contains(":") ? "[\(host)]" : host
                boundContinuation.yield("\(shown):\(address?.port ?? settings.port)")
                boundContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let address = await iterator.next() else {
            // The group ended before the server ran: binding failed.
            do {
                try await task.value
            } catch {
                throw HTTPServerError(address: "\(settings.host):\(settings.port)", underlying: "\(error)")
            }
            throw HTTPServerError(
                address: "\(settings.host):\(settings.port)", underlying: "the server stopped at once")
        }
        return HTTPServer(group: group, task: task, boundAddress: address)
    }

    /// Stops accepting connections, lets requests in progress finish, and returns when the server is down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// The HTTP listener could not start.
public struct HTTPServerError: Error, CustomStringConvertible {
    public var address: String
    public var underlying: String

    public var description: String {
        "cannot listen on \(address) (http.listen): \(underlying); choose a free port or stop what uses it"
    }
}
