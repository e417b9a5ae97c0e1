import ServiceLifecycle

/// Reloads configuration and templates at each trigger (SIGHUP from `UnixSignalsSequence` in the daemon; tests
/// pass their own sequence), one reload at a time, until the service group shuts down gracefully.
struct ReloadService<Triggers: AsyncSequence & Sendable>: Service, CustomStringConvertible
where Triggers.Element: Sendable {
    let triggers: Triggers
    /// Re-reads, checks and applies; keeps the running configuration when the new one is invalid.
    let reload: @Sendable () async -> Void

    /// `reloader`, the service's name in the service group's log lines.
    var description: String { "reloader" }

    /// One reload per trigger until the group shuts down or the triggers end.
    func run() async throws {
        for try await _ in triggers.cancelOnGracefulShutdown() {
            await reload()
        }
    }
}
