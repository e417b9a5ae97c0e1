#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// One transaction for many outcomes and the next claim (the scheduler's group commit).
        ///
        /// For each record, as the SQLite store does: `attempts` grows only when `update.attempted`; `lastCode` and
        /// `lastReply` are replaced after an attempt and kept otherwise unless given; `nextAttemptAt` is kept when
        /// `update` has none or the state is final. `log.sendID` is set to `sendID`. When the enrollment has ended
        /// meanwhile, a waiting state and `next` become `cancelled`, each logged. The row's rate reservation ends.
        ///
        /// Several daemons: a record applies to a row in flight that this daemon holds (or that no daemon holds),
        /// or to a waiting row (a decision taken without a claim). A record for a row another daemon holds now, or
        /// one that has an outcome already, is stale — this daemon's lease ran out and the row was taken over by
        /// ``reclaimExpired(at:)`` — and is dropped whole (with a warning naming the outcome) instead of overwriting
        /// the newer state: the daemon that took the row over records it.
        ///
        /// The claim is one `UPDATE ... FROM (SELECT ... FOR UPDATE SKIP LOCKED)`: daemons claiming at the same time
        /// skip each other's rows instead of waiting, and never take the same row. Each claimed row is held by this
        /// daemon until `at + leaseDuration` (renewed by ``heartbeat(at:)``).
        package func recordAll(
            _ records: [SendRecord], at: Date, claiming: Int, dueBy: Date
        ) async throws(StoreError) -> [PlannedSend] {
            guard !records.isEmpty || claiming > 0 else { return [] }
            let action =
                switch (records.count, claiming) {
                case (0, _): "claiming due sends"
                case (1, 0): "recording the outcome of send \(records[0].sendID)"
                default: "recording the outcomes of \(records.count) sends"
                }
            let claimed = try await transaction(action) { connection in
                var recorded: [Int64] = []
                for record in records {
                    if try await apply(record, at: at, on: connection) { recorded.append(record.sendID) }
                }
                if !recorded.isEmpty {
                    try await connection.query(
                        "DELETE FROM rate_reservations WHERE send_id = ANY(\(recorded))", logger: logger)
                }
                guard claiming > 0 else { return [PlannedSend]() }
                return try await plannedSends(
                    """
                    WITH c AS (
                        SELECT id FROM planned_sends
                        WHERE state IN \(unescaped: PostgresSchema.waitingStates)
                            AND next_attempt_at <= \(Milliseconds.from(dueBy))
                        ORDER BY next_attempt_at, id LIMIT \(claiming)
                        FOR UPDATE SKIP LOCKED
                    )
                    UPDATE planned_sends p SET state = 'in-flight', owner = \(instance.id),
                        lease_until = \(Milliseconds.from(at, plus: leaseDuration)), transfer_started_at = NULL,
                        transfer_reply = NULL,
                        updated_at = \(Milliseconds.from(at))
                    FROM c WHERE p.id = c.id
                    RETURNING p.*
                    """, on: connection)
            }
            return claimed.sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
        }

        /// One record of ``recordAll(_:at:claiming:dueBy:)`` inside its open transaction.
        /// - Returns: `false` when the record was stale and dropped.
        private func apply(_ record: SendRecord, at: Date, on connection: PostgresConnection) async throws -> Bool {
            let (sendID, update, log, next) = (record.sendID, record.update, record.log, record.next)
            let current = try await requireSend(sendID, locking: true, on: connection)
            let owner = try await holder(of: sendID, on: connection)
            let holdsIt = current.state == .inFlight && (owner == nil || owner == instance.id)
            guard holdsIt || current.state.isWaiting else {
                let now = current.state == .inFlight ? "held by \(owner ?? "no daemon")" : "\(current.state)"
                logger.warning(
                    "send \(sendID): outcome \(update.state) not recorded: the row is \(now) since this daemon's lease ran out",
                    metadata: ["send": "\(sendID)", "daemon": "\(instance.id)"])
                return false
            }
            let keepsTime = update.state.isFinal || update.nextAttemptAt == nil
            let nextAttempt = keepsTime ? current.nextAttemptAt : (update.nextAttemptAt ?? current.nextAttemptAt)
            let code = update.attempted ? update.code : (update.code ?? current.lastCode)
            let reply = update.attempted ? update.reply : (update.reply ?? current.lastReply)
            try await connection.query(
                """
                UPDATE planned_sends SET state = \(update.state.rawValue),
                    next_attempt_at = \(Milliseconds.from(nextAttempt)), attempts = attempts + \(update.attempted ? 1 : 0),
                    last_code = \(code), last_reply = \(reply), reason = \(update.reason),
                    reason_kind = \(update.reasonKind?.rawValue), updated_at = \(Milliseconds.from(at)),
                    owner = NULL, lease_until = NULL
                WHERE id = \(sendID)
                """, logger: logger)
            var entry = log
            entry.sendID = sendID
            try await appendLog(entry, on: connection)
            if update.state.isWaiting, try await enrollmentHasEnded(current.enrollmentID, on: connection) {
                _ = try await moveWithoutTransfer(
                    try await requireSend(sendID, locking: false, on: connection), to: .cancelled,
                    detail: "enrollment ended during the attempt", kind: .enrollmentEnded, at: at, on: connection)
            }
            if let next { _ = try await insertPlan(next, at: at, on: connection) }
            return true
        }

        /// The daemon holding row `id` in flight, if any.
        func holder(of id: Int64, on connection: PostgresConnection) async throws -> String? {
            var owner: String?
            let rows = try await connection.query("SELECT owner FROM planned_sends WHERE id = \(id)", logger: logger)
            for try await value in rows.decode(String?.self) { owner = value }
            return owner
        }

        /// Whether the enrollment has ended (read `FOR SHARE`, so it cannot end before this transaction commits).
        private func enrollmentHasEnded(_ id: Int64, on connection: PostgresConnection) async throws -> Bool {
            var ended = false
            let rows = try await connection.query(
                "SELECT ended_at IS NOT NULL FROM enrollments WHERE id = \(id) FOR SHARE", logger: logger)
            for try await value in rows.decode(Bool.self) { ended = value }
            return ended
        }

        /// The waiting state row `id` had before its claim: the state of its newest waiting send-log line (`held`
        /// or `deferred`, or `planned` for a row given back before); `planned` when it has none.
        func waitingStateBeforeClaim(_ id: Int64, on connection: PostgresConnection) async throws -> SendState {
            var state = SendState.planned
            let rows = try await connection.query(
                """
                SELECT state FROM send_log
                WHERE send_id = \(id) AND state IN \(unescaped: PostgresSchema.waitingStates)
                ORDER BY id DESC LIMIT 1
                """, logger: logger)
            for try await value in rows.decode(String.self) { state = SendState(rawValue: value) ?? .planned }
            return state
        }

        /// Three indexed point reads per send in one `REPEATABLE READ` read-only transaction: one snapshot for the
        /// whole claimed batch, as the SQLite store reads it.
        package func sendContexts(_ keys: [SendContext.Key]) async throws(StoreError) -> [SendContext] {
            guard !keys.isEmpty else { return [] }
            return try await transaction("reading \(keys.count) lead(s) before sending") { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                var contexts: [SendContext] = []
                for key in keys {
                    let lead = try await fetchOne(
                        "SELECT * FROM leads WHERE lower(email) = lower(\(key.lead.description))", on: connection,
                        table: "leads"
                    ) { row throws(StoreError) in try row.lead() }
                    let enrollment = try await fetchOne(
                        "SELECT * FROM enrollments WHERE id = \(key.enrollment)", on: connection, table: "enrollments"
                    ) { row throws(StoreError) in try row.enrollment() }
                    contexts.append(
                        SendContext(
                            lead: lead, enrollment: enrollment,
                            isSuppressed: try await isSuppressed(key.suppressionKey, on: connection)))
                }
                return contexts
            }
        }

        /// Every row in flight, whichever daemon holds it (the contract's start-up recovery). With several
        /// daemons the daemon does not call this: it takes over only expired leases, with
        /// ``reclaimExpired(at:)``. Each recovered row counts the interrupted transfer as an attempt
        /// (`attempts` + 1) and gets a log line with that attempt number, state `unknown`.
        package func recoverInFlight(at: Date) async throws(StoreError) -> [PlannedSend] {
            let detail = "daemon stopped during the transfer; the server may have it — not resent automatically"
            return try await transaction("recovering sends left in flight") { connection in
                let rows = try await plannedSends(
                    """
                    UPDATE planned_sends SET state = 'unknown', attempts = attempts + 1, reason = \(detail),
                        reason_kind = 'outcome_unknown', updated_at = \(Milliseconds.from(at)), owner = NULL,
                        lease_until = NULL
                    WHERE state = 'in-flight'
                    RETURNING *
                    """, on: connection
                ).sorted { $0.id < $1.id }
                for send in rows {
                    try await appendLog(
                        SendLogEntry(
                            at: at, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence,
                            step: send.step, messageID: send.messageID, state: .unknown, attempt: send.attempts,
                            detail: detail, recipientDomain: send.leadEmail.domain, reasonKind: .outcomeUnknown),
                        on: connection)
                }
                try await connection.query(
                    "DELETE FROM rate_reservations WHERE send_id = ANY(\(rows.map(\.id)))", logger: logger)
                return rows
            }
        }

        /// Every row in flight, whichever daemon holds it, ordered by id (see ``recoverInFlight(at:)``).
        package func inFlightSends() async throws(StoreError) -> [PlannedSend] {
            try await read("reading the sends in flight") { connection in
                try await plannedSends(
                    "SELECT * FROM planned_sends WHERE state = 'in-flight' ORDER BY id", on: connection)
            }
        }

        /// Gives back claims of this daemon (or of none): a row another daemon holds now, or no longer in flight,
        /// is left alone. The waiting state is the one before the claim (``waitingStateBeforeClaim(_:on:)``);
        /// the lease and any rate reservation end. Other daemons are woken (NOTIFY, at commit).
        @discardableResult
        package func releaseInFlight(_ ids: [Int64], detail: String, at: Date) async throws(StoreError)
            -> [PlannedSend]
        {
            guard !ids.isEmpty else { return [] }
            return try await transaction("giving \(ids.count) unsent claimed sends back to the queue") { connection in
                var released: [PlannedSend] = []
                for id in ids {
                    let send = try await requireSend(id, locking: true, on: connection)
                    let owner = try await holder(of: id, on: connection)
                    guard send.state == .inFlight, owner == nil || owner == instance.id else { continue }
                    released.append(try await requeue(send, detail: detail, at: at, on: connection))
                }
                if !released.isEmpty { try await wake(on: connection) }
                return released
            }
        }

        /// Moves the in-flight `send` back to the waiting state it had before its claim, with a log line in that
        /// state saying `detail`; ends its lease and its rate reservation. Returns the new row.
        func requeue(_ send: PlannedSend, detail: String, at: Date, on connection: PostgresConnection) async throws
            -> PlannedSend
        {
            let previous = try await waitingStateBeforeClaim(send.id, on: connection)
            let moved = try await plannedSends(
                """
                UPDATE planned_sends SET state = \(previous.rawValue), updated_at = \(Milliseconds.from(at)),
                    owner = NULL, lease_until = NULL
                WHERE id = \(send.id) RETURNING *
                """, on: connection)
            try await connection.query("DELETE FROM rate_reservations WHERE send_id = \(send.id)", logger: logger)
            try await appendLog(
                SendLogEntry(
                    at: at, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
                    messageID: send.messageID, state: previous, attempt: 0, detail: detail,
                    recipientDomain: send.leadEmail.domain), on: connection)
            return moved.first ?? send
        }
    }
#endif
