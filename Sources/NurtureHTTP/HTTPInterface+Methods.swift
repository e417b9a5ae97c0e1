import Hummingbird

/// 405 Method Not Allowed, with `Allow`, for a method a known path does not serve (404 stays for unknown paths),
/// as `docs/openapi.yaml` declares only the methods listed here.
extension HTTPInterface {
    /// The methods every route answers 405 to unless it serves them.
    static let checkedMethods: [HTTPRequest.Method] =
        [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect]
        + ["QUERY"].compactMap { HTTPRequest.Method($0) }

    /// Registers a 405 handler for every method of ``checkedMethods`` that `served` lacks, on each path: the
    /// open paths on `router`, the API's on `api` (behind its bearer check, so without a token it is 401).
    func addMethodNotAllowedRoutes(
        to router: Router<NurtureRequestContext>, api: RouterGroup<NurtureRequestContext>, unsubscribePath: String
    ) {
        let open: [(path: String, served: [HTTPRequest.Method])] = [
            ("metrics", [.get]), ("healthz", [.get]), ("\(unsubscribePath)/:token", [.get, .post]),
        ]
        let guarded: [(path: String, served: [HTTPRequest.Method])] = [
            ("leads", [.post]), ("leads/:email", [.get, .delete]), ("leads/:email/events", [.post]),
        ]
        for (path, served) in open {
            Self.refuseOtherMethods(path, served: served) { router.on($0, method: $1, use: $2) }
        }
        for (path, served) in guarded {
            Self.refuseOtherMethods(path, served: served) { api.on($0, method: $1, use: $2) }
        }
    }

    /// Calls `register` with a 405 handler for each method `path` does not serve.
    private static func refuseOtherMethods(
        _ path: String, served: [HTTPRequest.Method],
        register: (
            RouterPath, HTTPRequest.Method,
            @escaping @Sendable (Request, NurtureRequestContext) async throws -> Response
        ) -> Void
    ) {
        // HEAD is answered wherever GET is.
        let answered = served.contains(.get) ? served + [.head] : served
        let allow = served.map(\.rawValue).joined(separator: ", ")
        for method in checkedMethods where !answered.contains(method) {
            register(RouterPath(path), method) { _, _ -> Response in
                var error = APIError(
                    .methodNotAllowed, field: nil, "\(method.rawValue) is not served here; use \(allow)")
                error.headers = [.allow: allow]
                throw error
            }
        }
    }
}
