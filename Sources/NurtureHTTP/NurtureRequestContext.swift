package import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the name of the API token that authenticated it.
package struct NurtureRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware``; logged and written to the lead's audit, never the token itself.
    package var tokenName: String?
    /// The client's IP address (the TCP peer, never a forwarded header): the console's login rate limit keys on it.
    package var remoteAddress: String?

    package init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
