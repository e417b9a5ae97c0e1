import Foundation
import NurtureApp
package import NurtureConfig
package import NurtureCore
package import NurtureHTTP

extension ConsoleRuntime {
    /// The console of a running daemon: the store's console queries and the daemon's message builder for the
    /// preview.
    package static func make(settings: ConsoleSettings, listenHost: String, store: any SendStore) throws(StartError)
        -> ConsoleRuntime
    {
        guard let queries = store as? any ConsoleQueries else {
            throw StartError(description: "this store cannot serve the console; remove the `console:` section")
        }
        return try ConsoleRuntime(
            settings: settings, listenHost: listenHost, queries: queries,
            preview: { request, configuration, now in
                ConsolePreviewer.preview(request, configuration: configuration, now: now)
            })
    }
}
