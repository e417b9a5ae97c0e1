#if PostgreSQL
    import Foundation
    import Logging
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// The channel daemons wake each other on; the payload is the id of the daemon that sent it.
        static let wakeChannel = "nurture_wake"

        /// Queues a wake-up inside the caller's transaction: PostgreSQL delivers it at commit, and never when the
        /// transaction rolls back.
        func wake(on connection: PostgresConnection) async throws {
            try await connection.query("SELECT pg_notify(\(Self.wakeChannel), \(instance.id))", logger: logger)
        }

        package func notifyOthers() async throws(StoreError) {
            try await read("waking the other daemons") { connection in try await wake(on: connection) }
        }

        /// One pooled connection LISTENs for as long as the stream is consumed (it counts against the pool size).
        /// Wake-ups this daemon sent itself are left out; several arriving before the consumer looks are one. A
        /// lost connection is listened on again after a second (what was sent meanwhile is lost: polling stays the
        /// truth). The stream ends when the store's pool stops (seen within a second: the pool waits for the
        /// listening connection to come back before it stops), or when the consumer stops iterating.
        package func wakeups() -> AsyncStream<Void> {
            let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            let (client, logger, me) = (client, logger, instance.id)
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await Self.listen(client, logger: logger, skipping: me, into: continuation) }
                    group.addTask { await Self.waitForStop(client) }
                    await group.next()
                    group.cancelAll()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
            return stream
        }

        /// Listens on ``wakeChannel`` until cancelled or the pool is closed, again after a second when the
        /// connection fails.
        private static func listen(
            _ client: PostgresClient, logger: Logger, skipping me: String,
            into continuation: AsyncStream<Void>.Continuation
        ) async {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: wakeChannel) { notifications in
                            for try await notification in notifications where notification.payload != me {
                                continuation.yield()
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled || isPoolClosed(error) { return }
                    logger.debug("listening for wake-ups failed; listening again in a second: \(error)")
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }

        /// Whether `error` says the pool is stopping: PostgresNIO's `poolClosed`, or the pool module's own
        /// `poolShutdown` (which PostgresNIO 1.33 passes through unmapped when a connection is leased; that module
        /// is not a dependency of this one, so its error is recognised by name).
        private static func isPoolClosed(_ error: any Error) -> Bool {
            if let error = error as? PSQLError { return error.code == .poolClosed }
            return String(reflecting: error).contains("poolShutdown")
        }

        /// Returns once the pool refuses connections (it is stopping), checking every second, or when cancelled.
        private static func waitForStop(_ client: PostgresClient) async {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(1))
                    try await client.withConnection { _ in }
                } catch {
                    if Task.isCancelled || isPoolClosed(error) { return }
                }
            }
        }
    }
#endif
