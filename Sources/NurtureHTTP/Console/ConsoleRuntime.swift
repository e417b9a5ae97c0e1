package import Foundation
package import NurtureApp
package import NurtureConfig
package import NurtureCore

/// What the operator console needs beyond the HTTP interface: its settings, the session key, the login limiter,
/// the store's console queries and the template preview (made by the daemon's message builder, which this target
/// cannot see).
package struct ConsoleRuntime: Sendable {
    package var settings: ConsoleSettings
    package var key: ConsoleSession.Key
    package var limiter: ConsoleLoginLimiter
    /// Whether cookies carry `Secure`: always, except when the listener is on a loopback address.
    package var secureCookies: Bool
    package var queries: any ConsoleQueries
    package var preview: @Sendable (ConsolePreview.Request, NurtureConfiguration, Date) -> ConsolePreview
    /// The overview chart's counts (a week of send-log lines: about a second at 10,000,000 rows), read again after a
    /// minute, in the background while younger than an hour (the chart says when it was counted).
    let chart = ConsoleCache<[HourlyCount]>(lifetime: 60, patience: 3_600)
    /// The overview's status figures (queue by state, limits, leads), read again after 10 seconds (in the
    /// background while younger than a minute).
    let status = ConsoleCache<StatusReport>(lifetime: 10, patience: 60)

    /// Why the console cannot start (an unreadable or short session key file).
    package struct StartError: Error, Sendable, CustomStringConvertible {
        package var description: String
        package init(description: String) { self.description = description }
    }

    /// The console for `settings`: the session key read from `session_key_file` (at least 32 bytes) or made at
    /// random; `Secure` cookies unless `listenHost` is a loopback address.
    package init(
        settings: ConsoleSettings, listenHost: String, queries: any ConsoleQueries,
        preview: @escaping @Sendable (ConsolePreview.Request, NurtureConfiguration, Date) -> ConsolePreview
    ) throws(StartError) {
        self.settings = settings
        if let path = settings.sessionKeyFile {
            guard let data = FileManager.default.contents(atPath: path), data.count >= 32 else {
                throw StartError(
                    description: "console.session_key_file \(path): cannot be read or holds fewer than 32 bytes;"
                        + " make one with `head -c 32 /dev/urandom > \(path); chmod 600 \(path)`")
            }
            self.key = ConsoleSession.Key(bytes: Array(data))
        } else {
            self.key = .random()
        }
        self.limiter = ConsoleLoginLimiter()
        self.secureCookies = !Self.isLoopback(listenHost)
        self.queries = queries
        self.preview = preview
    }

    /// `127.0.0.0/8` and `::1`.
    package static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host.hasPrefix("127.") || host == "localhost"
    }
}
