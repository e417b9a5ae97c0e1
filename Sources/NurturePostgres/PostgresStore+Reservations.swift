#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// The windows of the counts, as the daemon's `SentCounter` keeps them: all sends in the last minute, per
        /// sender in the last 24 hours, per recipient domain in the last hour.
        static let rateWindows = (all: 60.0, sender: 86_400.0, domain: 3_600.0)

        /// Each key's lock is `pg_advisory_xact_lock(hashtext('nurture:<kind>:<key>'))`, taken in the fixed order
        /// all, sender, domain, lead (so two reservations never wait for each other in a cycle) and released at
        /// commit. A count is the `sent` and `unknown` send-log lines in its window plus the live reservations:
        /// rows still in flight whose outcome is not logged yet. A reservation ends when ``recordAll(_:at:claiming:dueBy:)``
        /// records its row, or when the row goes back to waiting.
        package func reserve(
            _ sendID: Int64, keys: RateKeys, at: Date, admit: @Sendable (RateSnapshot) -> Bool
        ) async throws(StoreError) -> (snapshot: RateSnapshot, reserved: Bool) {
            try await transaction("reserving send \(sendID) in the rate limits") { connection in
                let locks =
                    (keys.all ? ["nurture:all"] : [])
                    + [
                        keys.sender.map { "nurture:sender:\($0)" }, keys.domain.map { "nurture:domain:\($0)" },
                        keys.lead.map { "nurture:lead:\($0)" },
                    ].compactMap { $0 }
                for lock in locks {
                    try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock)))", logger: logger)
                }
                let windows = Self.rateWindows
                var counts = RateCounts()
                if keys.all {
                    counts.lastMinute = try await count(
                        column: nil, value: nil, since: at.addingTimeInterval(-windows.all), on: connection)
                }
                if let sender = keys.sender {
                    counts.senderLast24Hours = try await count(
                        column: "sender", value: sender, since: at.addingTimeInterval(-windows.sender),
                        on: connection)
                }
                if let domain = keys.domain {
                    counts.domainLastHour = try await count(
                        column: "domain", value: domain, since: at.addingTimeInterval(-windows.domain),
                        on: connection)
                }
                var lastSent: Date?
                if let lead = keys.lead { lastSent = try await lastSentTo(lead, at: at, on: connection) }
                let snapshot = RateSnapshot(counts: counts, lastSentToLead: lastSent)
                guard admit(snapshot) else { return (snapshot, false) }
                try await connection.query(
                    """
                    INSERT INTO rate_reservations (send_id, reserved_at, counts_all, sender, domain, lead)
                    VALUES (\(sendID), \(Milliseconds.from(at)), \(keys.all ? 1 : 0), \(keys.sender), \(keys.domain),
                        \(keys.lead))
                    ON CONFLICT (send_id) DO UPDATE SET reserved_at = EXCLUDED.reserved_at,
                        counts_all = EXCLUDED.counts_all, sender = EXCLUDED.sender, domain = EXCLUDED.domain,
                        lead = EXCLUDED.lead
                    """, logger: logger)
                return (snapshot, true)
            }
        }

        /// The `sent`/`unknown` log lines since `since` (all of them when `column` is nil, else those whose sender
        /// or domain is `value`) plus the live reservations of the same key.
        private func count(
            column: String?, value: String?, since: Date, on connection: PostgresConnection
        ) async throws -> Int {
            let states = SendState.rateLimited.map(\.rawValue)
            let start = Milliseconds.from(since)
            // The column names are constants of this file, never data.
            let (logColumn, reservationColumn) =
                switch column {
                case "sender": ("sender", "r.sender")
                case "domain": ("recipient_domain", "r.domain")
                default: ("NULL", "NULL")
                }
            let keyed = column != nil
            let rows = try await connection.query(
                """
                SELECT
                    (SELECT COUNT(*) FROM send_log
                     WHERE state = ANY(\(states)) AND (NOT \(keyed) OR \(unescaped: logColumn) = \(value))
                        AND at >= \(start))
                  + (SELECT COUNT(*) FROM rate_reservations r JOIN planned_sends p ON p.id = r.send_id
                     WHERE p.state = 'in-flight'
                        AND (\(keyed) OR r.counts_all = 1) AND (NOT \(keyed) OR \(unescaped: reservationColumn) = \(value))
                        AND NOT EXISTS (
                            SELECT 1 FROM send_log l WHERE l.send_id = r.send_id AND l.state = ANY(\(states))
                                AND l.at >= r.reserved_at
                        ))
                """, logger: logger)
            var total = 0
            for try await value in rows.decode(Int.self) { total = value }
            return total
        }

        /// The lead's last `sent` log line, or `at` when a send to the lead is reserved and still in flight.
        private func lastSentTo(_ lead: String, at: Date, on connection: PostgresConnection) async throws -> Date? {
            let rows = try await connection.query(
                """
                SELECT
                    (SELECT MAX(at) FROM send_log WHERE lower(lead_email) = \(lead) AND state = 'sent'),
                    EXISTS (
                        SELECT 1 FROM rate_reservations r JOIN planned_sends p ON p.id = r.send_id
                        WHERE r.lead = \(lead) AND p.state = 'in-flight'
                    )
                """, logger: logger)
            var last: Date?
            for try await (sent, reserved) in rows.decode((Int64?, Bool).self) {
                last = reserved ? at : sent.map(Milliseconds.date)
            }
            return last
        }
    }
#endif
