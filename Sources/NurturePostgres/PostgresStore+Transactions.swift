#if PostgreSQL
    import Foundation
    import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// Runs `body` in one transaction on a pooled connection (on the cluster loop's own connection when
        /// `leaseConnection`): committed when it returns, rolled back when it throws. Errors become ``StoreError``s
        /// naming `action` and the database (never its password).
        @discardableResult
        func transaction<T: Sendable>(
            _ action: String, leaseConnection: Bool = false, _ body: (PostgresConnection) async throws -> T
        ) async throws(StoreError) -> T {
            do {
                return try await (leaseConnection ? leaseClient : client).withTransaction(logger: logger) {
                    connection in
                    try await body(connection)
                }
            } catch {
                throw storeError(error, action: action)
            }
        }

        /// Runs `body` on a pooled connection without a transaction of its own (single-statement reads).
        @discardableResult
        func read<T: Sendable>(
            _ action: String, _ body: (PostgresConnection) async throws -> T
        ) async throws(StoreError) -> T {
            do {
                return try await client.withConnection { connection in try await body(connection) }
            } catch {
                throw storeError(error, action: action)
            }
        }
    }
#endif
