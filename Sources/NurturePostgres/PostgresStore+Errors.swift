#if PostgreSQL
    import Foundation
    import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// The ``StoreError`` for an error of PostgresNIO while doing `action`: a stable code (`unavailable` for
        /// a connection or login that failed, `constraint` for a unique or foreign-key violation, ...) and the
        /// database named without its password, with what to do when the operator can act.
        func storeError(_ error: any Error, action: String) -> StoreError {
            if let error = error as? StoreError { return error }
            if let error = error as? PSQLError { return storeError(error, action: action) }
            // A transaction reports what failed first: BEGIN, the work (rolled back), or COMMIT.
            if let error = error as? PostgresTransactionError,
                let cause = error.beginError ?? error.closureError ?? error.commitError
            {
                return storeError(cause, action: action)
            }
            // The pool's own errors (its module is not imported): it gave up connecting after a minute of failures.
            if String(reflecting: error).contains("connectionCreationCircuitBreakerTripped") {
                return StoreError(
                    .unavailable,
                    "\(settings): \(action): no connection could be opened for a minute; check that PostgreSQL runs"
                        + " and that the host, port, user, password and TLS settings are right")
            }
            if error is CancellationError { return StoreError(.cancelled, "\(settings): \(action): cancelled") }
            return StoreError(.unavailable, "\(settings): \(action): cannot connect: \(Self.describe(error))")
        }

        private func storeError(_ error: PSQLError, action: String) -> StoreError {
            let place = "\(settings): \(action)"
            guard let state = error.serverInfo?[.sqlState] else {
                switch error.code {
                case .queryCancelled: return StoreError(.cancelled, "\(place): cancelled")
                case .sslUnsupported:
                    return StoreError(
                        .unavailable,
                        "\(place): the server does not offer TLS; enable ssl in postgresql.conf (tls: disable is"
                            + " only for loopback or a Unix socket)")
                default:
                    let cause = error.underlying.map { ": \(Self.describe($0))" } ?? ""
                    return StoreError(.unavailable, "\(place): \(error.code)\(cause)")
                }
            }
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            switch state {
            case "23505", "23503", "23514", "23502":
                return StoreError(.constraint, "\(place): \(message)")
            case "40001", "40P01", "55P03":
                return StoreError(.busy, "\(place): \(message)")
            case "28P01", "28000":
                return StoreError(
                    .unavailable,
                    "\(place): login refused: \(message); check the user and the password file (password_file or"
                        + " password_credential) and pg_hba.conf")
            case "3D000":
                return StoreError(
                    .unavailable, "\(place): \(message); create it (createdb -O \(settings.user) \(settings.database))")
            case _ where state.hasPrefix("08") || state.hasPrefix("57"):
                return StoreError(.unavailable, "\(place): \(message)")
            case _ where state.hasPrefix("53"):
                return StoreError(.full, "\(place): \(message)")
            default:
                return StoreError(.failed, "\(place): \(message)")
            }
        }

        /// A connection error in words (`connection refused`, a TLS failure), never a password: the settings carry
        /// it and no error of the driver prints them.
        static func describe(_ error: any Error) -> String {
            if let error = error as? PSQLError {
                return error.underlying.map { describe($0) } ?? "\(error.code)"
            }
            return String(describing: error)
        }
    }
#endif
