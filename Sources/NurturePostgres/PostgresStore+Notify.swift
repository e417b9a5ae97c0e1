#if PostgreSQL
    import Foundation
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
        /// truth). The stream ends when the store's pool stops, or when the consumer stops iterating.
        package func wakeups() -> AsyncStream<Void> {
            let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            let (client, logger, me) = (client, logger, instance.id)
            let task = Task {
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            try await connection.listen(on: Self.wakeChannel) { notifications in
                                for try await notification in notifications where notification.payload != me {
                                    continuation.yield()
                                }
                            }
                        }
                    } catch let error as PSQLError where error.code == .poolClosed {
                        break
                    } catch {
                        if Task.isCancelled { break }
                        logger.debug("listening for wake-ups failed; listening again in a second: \(error)")
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
            return stream
        }
    }
#endif
