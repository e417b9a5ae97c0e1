public import Hummingbird

/// The per-request context: Hummingbird's core storage plus the name of the API token that authenticated it.
public struct NurtureRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``BearerAuthMiddleware``; logged and written to the lead's audit, never the token itself.
    public var tokenName: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}
