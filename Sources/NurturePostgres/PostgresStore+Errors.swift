#if PostgreSQL
    import Foundation
    import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// The ``StoreError`` for an error of PostgresNIO while doing `action`: a stable code (`unavailable` for
        /// a connection that failed, `constraint` for a unique or foreign-key violation, ...) and the database
        /// named without its password.
        func storeError(_ error: any Error, action: String) -> StoreError {
            if let error = error as? StoreError { return error }
            if let error = error as? PSQLError {
                let state = error.serverInfo?[.sqlState]
                let message = error.serverInfo?[.message] ?? "\(error.code)"
                switch state {
                case "23505", "23503", "23514", "23502":
                    return StoreError(.constraint, "\(settings): \(action): \(message)")
                case "40001", "40P01", "55P03":
                    return StoreError(.busy, "\(settings): \(action): \(message)")
                case .some(let code) where code.hasPrefix("53"):
                    return StoreError(.full, "\(settings): \(action): \(message)")
                case .some:
                    return StoreError(.failed, "\(settings): \(action): \(message)")
                case nil:
                    return StoreError(.unavailable, "\(settings): \(action): \(error.code)")
                }
            }
            if error is CancellationError { return StoreError(.cancelled, "\(settings): \(action): cancelled") }
            return StoreError(.unavailable, "\(settings): \(action): \(error)")
        }
    }
#endif
