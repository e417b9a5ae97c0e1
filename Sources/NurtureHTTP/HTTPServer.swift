import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
package import NurtureConfig
import ServiceLifecycle
import Synchronization

/// The ``HTTPInterface`` on the configured address, as a `Service` of the daemon's service group: it serves until
/// the group shuts down gracefully (it stops accepting connections and lets requests in progress finish).
///
/// Idle and slow connections are closed after ``HTTPSettings/idleTimeout``; at most
/// ``HTTPSettings/maxConnections`` are open at once (the rest wait in the kernel's listen backlog).
/// Once the listener is bound, `onListening` gets the address; an address that cannot be bound makes ``run()``
/// throw an ``HTTPServerError`` without calling it, so start-up fails with a clear message instead of a silent
/// half-working service.
package struct HTTPServer: Service, CustomStringConvertible {
    private let interface: HTTPInterface
    private let settings: HTTPSettings
    private let logger: Logger
    private let onListening: @Sendable (String) async -> Void

    /// - Parameters:
    ///   - logger: Hummingbird's logger (its lines, e.g. the listening address, at their own priority).
    ///   - onListening: called once with the `host:port` actually bound (the kernel's choice for port 0).
    package init(
        _ interface: HTTPInterface, settings: HTTPSettings, logger: Logger,
        onListening: @escaping @Sendable (String) async -> Void
    ) {
        self.interface = interface
        self.settings = settings
        self.logger = logger
        self.onListening = onListening
    }

    /// `http-server`, the service's name in the service group's log lines.
    package var description: String { "http-server" }

    /// Serves until the service group shuts down; throws ``HTTPServerError`` when the address cannot be bound.
    package func run() async throws {
        let (settings, onListening) = (settings, onListening)
        let bound = BoundFlag()
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
                bound.set()
                await onListening("\(shown):\(address?.port ?? settings.port)")
            },
            logger: logger)
        do {
            try await application.run()
        } catch  where !bound.isSet {
            throw HTTPServerError(address: "\(settings.host):\(settings.port)", underlying: "\(error)")
        }
    }
}

/// Whether the listener was bound: an error before it is a start-up failure, one after is the server's own.
private final class BoundFlag: Sendable {
    private let value = Atomic(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// The HTTP listener could not start.
package struct HTTPServerError: Error, CustomStringConvertible {
    /// `host:port` as configured.
    package var address: String
    /// What the listener reported.
    package var underlying: String

    /// An error for the configured `address` (`host:port`) with what the listener reported.
    package init(address: String, underlying: String) {
        self.address = address
        self.underlying = underlying
    }

    /// One sentence with the fix.
    package var description: String {
        "cannot listen on \(address) (http.listen): \(underlying); choose a free port or stop what uses it"
    }
}
