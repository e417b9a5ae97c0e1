#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// Upserts this daemon's row (`heartbeat_at = at`) and renews the lease of every row it holds in flight to
        /// `at + leaseDuration`, in one transaction. Times are the daemon's clock: the daemons' clocks must be
        /// synchronised (NTP), since one daemon's lease is judged by another's clock.
        package func heartbeat(at: Date) async throws(StoreError) {
            let now = Milliseconds.from(at)
            try await transaction("recording the heartbeat of daemon \(instance.id)", leaseConnection: true) {
                connection in
                try await connection.query(
                    """
                    INSERT INTO daemons (id, host, pid, started_at, heartbeat_at)
                    VALUES (
                        \(instance.id), \(instance.host), \(Int(instance.pid)), \(Milliseconds.from(instance.startedAt)),
                        \(now)
                    )
                    ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, stopped_at = NULL
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE planned_sends SET lease_until = \(Milliseconds.from(at, plus: leaseDuration))
                    WHERE owner = \(instance.id) AND state = 'in-flight'
                    """, logger: logger)
            }
        }

        /// Marks this daemon stopped and gives up the leader lease (it expires at `at`, so another daemon takes
        /// it at its next try).
        package func signOff(at: Date) async throws(StoreError) {
            let now = Milliseconds.from(at)
            try await transaction("signing off daemon \(instance.id)") { connection in
                try await connection.query(
                    """
                    INSERT INTO daemons (id, host, pid, started_at, heartbeat_at, stopped_at)
                    VALUES (
                        \(instance.id), \(instance.host), \(Int(instance.pid)), \(Milliseconds.from(instance.startedAt)),
                        \(now), \(now)
                    )
                    ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, stopped_at = EXCLUDED.stopped_at
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE leader_leases SET expires_at = LEAST(expires_at, \(now)) WHERE holder = \(instance.id)
                    """, logger: logger)
            }
        }

        /// The daemons that heartbeated at or after `since`, ordered by id. "Now" for the leader lease is the
        /// newest heartbeat any daemon recorded (the store has no clock of its own): the leader is the holder of
        /// a lease that expires after it.
        package func daemons(since: Date) async throws(StoreError) -> [DaemonRecord] {
            try await read("reading the daemons") { connection in
                let rows = try await connection.query(
                    """
                    SELECT d.id, d.host, d.pid, d.started_at, d.heartbeat_at, d.stopped_at,
                        (SELECT COUNT(*) FROM planned_sends p WHERE p.owner = d.id AND p.state = 'in-flight'),
                        EXISTS (
                            SELECT 1 FROM leader_leases l WHERE l.holder = d.id
                                AND l.expires_at > (SELECT MAX(heartbeat_at) FROM daemons)
                        )
                    FROM daemons d WHERE d.heartbeat_at >= \(Milliseconds.from(since))
                    ORDER BY d.id
                    """, logger: logger)
                var records: [DaemonRecord] = []
                for try await (id, host, pid, startedAt, heartbeatAt, stoppedAt, leases, isLeader) in rows.decode(
                    (String, String, Int32, Int64, Int64, Int64?, Int, Bool).self)
                {
                    records.append(
                        DaemonRecord(
                            instance: DaemonInstance(
                                id: id, host: host, pid: pid, startedAt: Milliseconds.date(startedAt)),
                            heartbeatAt: Milliseconds.date(heartbeatAt), leasesHeld: leases, isLeader: isLeader,
                            stoppedAt: stoppedAt.map(Milliseconds.date)))
                }
                return records
            }
        }

        /// Takes the leader lease when it is free or expired at `at`, or renews it when this daemon holds it; one
        /// statement, so two daemons trying at once never both win.
        package func holdLeadership(at: Date) async throws(StoreError) -> Bool {
            let (now, until) = (Milliseconds.from(at), Milliseconds.from(at, plus: leaseDuration))
            return try await transaction("taking the leader lease", leaseConnection: true) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO leader_leases (role, holder, expires_at) VALUES ('leader', \(instance.id), \(until))
                    ON CONFLICT (role) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                    WHERE leader_leases.holder = EXCLUDED.holder OR leader_leases.expires_at < \(now)
                    RETURNING holder
                    """, logger: logger)
                var leader = false
                for try await holder in rows.decode(String.self) { leader = holder == instance.id }
                return leader
            }
        }

        /// `PostgresSchema.foldSendCounts` on a pooled connection (never the heartbeat's), a chunk of
        /// ``foldChunk`` changes per transaction until a chunk comes back short, so no transaction is long however
        /// large the backlog.
        package func foldCounts() async throws(StoreError) {
            try await foldCounts(chunk: Self.foldChunk)
        }

        /// The fold, `chunk` changes per transaction (tests use a small one).
        func foldCounts(chunk: Int) async throws(StoreError) {
            while true {
                let moved = try await transaction("folding the changes to the send counts") { connection in
                    var moved = 0
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: PostgresSchema.foldSendCounts(chunk: chunk)), logger: logger)
                    for try await count in rows.decode(Int.self) { moved = count }
                    return moved
                }
                if moved < chunk { return }
            }
        }

        /// Changes folded per transaction.
        static let foldChunk = 50_000
    }
#endif
