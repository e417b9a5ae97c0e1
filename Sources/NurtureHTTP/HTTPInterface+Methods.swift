import Hummingbird

/// 405 Method Not Allowed, with `Allow`, for a method a known path does not serve (404 stays for unknown paths),
/// as `docs/openapi.yaml` declares only the methods listed here.
extension HTTPInterface {
    /// The methods every route answers 405 to unless it serves them.
    static let checkedMethods: [HTTPRequest.Method] =
        [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect]
        + ["QUERY"].compactMap { HTTPRequest.Method($0) }

    /// Registers a 405 handler for every method of ``checkedMethods`` that `served` lacks, on each path.
    func addMethodNotAllowedRoutes(to router: Router<NurtureRequestContext>, unsubscribePath: String) {
        let routes: [(path: String, served: [HTTPRequest.Method])] = [
            ("metrics", [.get]), ("healthz", [.get]), ("\(unsubscribePath)/:token", [.get, .post]),
            ("v1/leads", [.post]), ("v1/leads/:email", [.get, .delete]), ("v1/leads/:email/events", [.post]),
        ]
        for (path, served) in routes {
            // HEAD is answered wherever GET is.
            let answered = served.contains(.get) ? served + [.head] : served
            let allow = served.map(\.rawValue).joined(separator: ", ")
            for method in Self.checkedMethods where !answered.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    var error = APIError(
                        .methodNotAllowed, field: nil, "\(method.rawValue) is not served here; use \(allow)")
                    error.headers = [.allow: allow]
                    throw error
                }
            }
        }
    }
}
