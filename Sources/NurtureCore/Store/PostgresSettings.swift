/// Where the PostgreSQL store is and how to reach it (`state.store: postgres://...` or the `database:` section;
/// docs/postgres.md). Plain data: the configuration parser makes it, `NurturePostgres` uses it.
package struct PostgresSettings: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is protected.
    package enum TLS: String, Sendable, Hashable {
        /// TLS with the server's certificate and host name verified (the only choice for a remote host).
        case require
        /// Clear text: allowed only to a loopback host or a Unix socket.
        case disable
    }

    /// Host name or address; ignored when ``unixSocketPath`` is set.
    package var host: String
    package var port: Int
    /// A Unix socket path (`/run/postgresql/.s.PGSQL.5432`), instead of TCP.
    package var unixSocketPath: String?
    package var user: String
    package var database: String
    /// Read from `password_file` or `password_credential`; never in a URL, a log line or a status.
    package var password: String?
    package var tls: TLS
    /// A CA bundle (PEM) for a private CA; the system's trust store otherwise.
    package var caFile: String?
    /// Connections in this daemon's pool.
    package var poolSize: Int
    /// How long a claim, a heartbeat and the leader lease last without renewal (seconds).
    package var leaseSeconds: Int

    package init(
        host: String = "127.0.0.1", port: Int = 5432, unixSocketPath: String? = nil, user: String,
        database: String, password: String? = nil, tls: TLS = .require, caFile: String? = nil, poolSize: Int = 10,
        leaseSeconds: Int = 30
    ) {
        self.host = host
        self.port = port
        self.unixSocketPath = unixSocketPath
        self.user = user
        self.database = database
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.poolSize = poolSize
        self.leaseSeconds = leaseSeconds
    }

    /// `postgres://user@host:port/database` (or `…@unix:/path/database`): never the password.
    package var description: String {
        let place = unixSocketPath.map { "unix:\($0)" } ?? "\(host):\(port)"
        return "postgres://\(user)@\(place)/\(database)"
    }

    /// Whether clear text is acceptable: a Unix socket, or a loopback host.
    package var isLocal: Bool {
        unixSocketPath != nil || host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
