#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// One conditional `UPDATE`: only a row in flight that this daemon holds with a lease unexpired at `at` is
        /// marked. The mark is the durable journal a daemon taking the row over reads (started → possibly
        /// transmitted). `replies` are saved in the same transaction (no extra trip to the database while the
        /// connection has work).
        package func markStarted(
            _ sendID: Int64, at: Date, saving replies: [TransferReply]
        ) async throws(StoreError) -> Bool {
            let now = Milliseconds.from(at)
            return try await transaction("marking the transfer of send \(sendID) started") { connection in
                try await saveReplies(replies, on: connection)
                let rows = try await connection.query(
                    """
                    UPDATE planned_sends SET transfer_started_at = \(now)
                    WHERE id = \(sendID) AND owner = \(instance.id) AND state = 'in-flight'
                        AND lease_until > \(now)
                    RETURNING id
                    """, logger: logger)
                var marked = false
                for try await _ in rows.decode(Int64.self) { marked = true }
                return marked
            }
        }

        /// Committed without waiting for the write-ahead log to reach the disk (`synchronous_commit` off for this
        /// transaction only): the saved reply is visible to every daemon at once and survives this daemon's death,
        /// and only a crash of PostgreSQL itself in the next fraction of a second can lose it — then the send is
        /// recorded `unknown`, the safe reading. No `fsync` per send while a connection has nothing queued.
        package func saveReplies(_ replies: [TransferReply]) async throws(StoreError) {
            guard !replies.isEmpty else { return }
            try await transaction("saving the replies of \(replies.count) transfer(s)") { connection in
                try await connection.query("SET LOCAL synchronous_commit TO OFF", logger: logger)
                try await saveReplies(replies, on: connection)
            }
        }

        /// One `UPDATE … FROM unnest(…)` for every reply, on rows this daemon still holds in flight.
        private func saveReplies(_ replies: [TransferReply], on connection: PostgresConnection) async throws {
            guard !replies.isEmpty else { return }
            let ids = replies.map(\.sendID)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let texts = try replies.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try await connection.query(
                """
                UPDATE planned_sends p SET transfer_reply = r.reply
                FROM unnest(\(ids)::BIGINT[], \(texts)::TEXT[]) AS r(id, reply)
                WHERE p.id = r.id AND p.owner = \(instance.id) AND p.state = 'in-flight'
                """, logger: logger)
        }

        /// Rows are taken `FOR UPDATE SKIP LOCKED`, so two daemons reclaiming at once never take the same row (and
        /// a row whose holder is recording it right now is left to that holder). A row in flight without a lease
        /// (written by a store copy) counts as expired.
        package func reclaimExpired(at: Date) async throws(StoreError) -> ReclaimedSends {
            let now = Milliseconds.from(at)
            let until = Milliseconds.from(at, plus: leaseDuration)
            return try await transaction("taking over sends whose lease expired", leaseConnection: true) { connection in
                var expired: [(send: PlannedSend, owner: String?, started: Bool, reply: String?)] = []
                let rows = try await connection.query(
                    """
                    SELECT * FROM planned_sends
                    WHERE state = 'in-flight' AND (lease_until IS NULL OR lease_until < \(now))
                    ORDER BY id
                    FOR UPDATE SKIP LOCKED
                    """, logger: logger)
                for try await row in rows {
                    let columns = PostgresStoredRow(row, table: "planned_sends", database: "\(settings)")
                    expired.append(
                        (
                            try columns.plannedSend(), try columns.optionalText("owner"),
                            try columns.optionalInt64("transfer_started_at") != nil,
                            try columns.optionalText("transfer_reply")
                        ))
                }
                var reclaimed = ReclaimedSends()
                for (send, owner, started, reply) in expired {
                    if started {
                        if let saved = Self.reply(reply, for: send) { reclaimed.replies[send.id] = saved }
                        let held = try await plannedSends(
                            """
                            UPDATE planned_sends SET owner = \(instance.id), lease_until = \(until)
                            WHERE id = \(send.id) RETURNING *
                            """, on: connection)
                        reclaimed.possiblyTransmitted.append(held.first ?? send)
                    } else {
                        let detail =
                            "the daemon holding it (\(owner ?? "none")) stopped renewing its lease before the"
                            + " transfer started; waiting again"
                        reclaimed.requeued.append(try await requeue(send, detail: detail, at: at, on: connection))
                    }
                }
                if !reclaimed.requeued.isEmpty { try await wake(on: connection) }
                return reclaimed
            }
        }

        /// The saved reply of `send`'s current attempt; `nil` when none was saved, it answers an earlier attempt,
        /// or it cannot be read (then the send is recorded `unknown`, the safe reading).
        static func reply(_ text: String?, for send: PlannedSend) -> TransferReply? {
            guard let text, let reply = try? JSONDecoder().decode(TransferReply.self, from: Data(text.utf8)),
                reply.sendID == send.id, reply.attempt == send.attempts + 1
            else { return nil }
            return reply
        }
    }
#endif
