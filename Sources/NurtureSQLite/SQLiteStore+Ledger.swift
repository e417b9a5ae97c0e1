package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    /// Planning a step of an enrollment that has ended stores the row as `cancelled` (with a log line)
    /// instead of `planned`, so a plan racing with the CLI's `endEnrollment` is never sent.
    /// - Throws: ``StoreError`` (``StoreError/Code/notFound``) when an enrollment does not exist.
    package func planAll(_ sends: [NewPlannedSend], at: Date) async throws(StoreError) -> [PlannedSend] {
        let action =
            sends.count == 1
            ? "planning step \(sends[0].step) of enrollment \(sends[0].enrollmentID)" : "planning \(sends.count) sends"
        return try await write(action) { db in
            try sends.map { send in try insertPlan(send, at: at, db) }
        }
    }

    /// Inserts the row for `send` unless the (enrollment, step) exists; returns the stored row.
    func insertPlan(_ send: NewPlannedSend, at: Date, _ db: Database) throws -> PlannedSend {
        // Cached statements: the daemon plans a batch of hundreds of enrollments per transaction.
        if let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE enrollment_id = ? AND step = ?"),
            arguments: [send.enrollmentID, send.step])
        {
            return try stored(existing, "planned_sends").plannedSend()
        }
        guard
            let enrollment = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM enrollments WHERE id = ?"), arguments: [send.enrollmentID])
        else {
            throw StoreError(
                .notFound,
                "database file \(path): cannot plan step \(send.step) for enrollment \(send.enrollmentID),"
                    + " which does not exist")
        }
        let record = try stored(enrollment, "enrollments").enrollment()
        let now = Milliseconds.from(at)
        if let token = send.unsubscribeToken { try registerUnsubscribeToken(token, for: send.leadEmail, at: now, db) }
        let values: [(any DatabaseValueConvertible)?] = [
            send.enrollmentID, send.leadEmail.description, send.sequence, send.step, send.stepNumber,
            send.track.rawValue, Milliseconds.from(send.dueAt), Milliseconds.from(send.nextAttemptAt),
            SendState.planned.rawValue, send.messageID, send.reason, send.reasonKind?.rawValue, now, now,
        ]
        try db.cachedStatement(
            sql: """
                INSERT INTO planned_sends (
                    enrollment_id, lead_email, sequence, step, step_number, track, due_at, next_attempt_at,
                    state, message_id, reason, reason_kind, created_at, updated_at
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: StatementArguments(values))
        let row = try requireSend(db.lastInsertedRowID, db)
        guard record.isActive else {
            let reason = record.endReason.map { " (\($0))" } ?? ""
            return try cancel(
                row, detail: "enrollment ended\(reason) before this step was planned", kind: .enrollmentEnded, at: at,
                db)
        }
        return row
    }

    /// The row `id`, or a ``StoreError`` saying it does not exist.
    func requireSend(_ id: Int64, _ db: Database) throws -> PlannedSend {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE id = ?"), arguments: [id])
        else {
            throw StoreError(.notFound, "database file \(path): send \(id) does not exist")
        }
        return try stored(row, "planned_sends").plannedSend()
    }

    /// Moves `send` to `cancelled` with `detail` as its reason and a log line; returns the new row.
    @discardableResult
    func cancel(
        _ send: PlannedSend, detail: String, kind: ReasonKind, at: Date, _ db: Database
    ) throws -> PlannedSend {
        try moveWithoutTransfer(send, to: .cancelled, detail: detail, kind: kind, at: at, db)
    }

    /// Moves `send` to `state` (a decision, no SMTP transfer), logging `detail`; returns the new row.
    private func moveWithoutTransfer(
        _ send: PlannedSend, to state: SendState, detail: String, kind: ReasonKind, at: Date, _ db: Database
    ) throws -> PlannedSend {
        try db.execute(
            sql: "UPDATE planned_sends SET state = ?, reason = ?, reason_kind = ?, updated_at = ? WHERE id = ?",
            arguments: [state.rawValue, detail, kind.rawValue, Milliseconds.from(at), send.id])
        try appendLog(
            SendLogEntry(
                at: at, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
                messageID: send.messageID, state: state, attempt: 0, detail: detail,
                recipientDomain: send.leadEmail.domain, reasonKind: kind), db)
        return try requireSend(send.id, db)
    }

    package func send(_ id: Int64) async throws(StoreError) -> PlannedSend? {
        try await read("reading send \(id)") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE id = ?"), arguments: [id])
                .map { row in try stored(row, "planned_sends").plannedSend() }
        }
    }

    package func sends(for email: EmailAddress) async throws(StoreError) -> [PlannedSend] {
        try await read("reading the sends of \(email)") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE lead_email = ? ORDER BY id"),
                arguments: [email.description]
            ).map { row in try stored(row, "planned_sends").plannedSend() }
        }
    }

    package func earliestWaiting() async throws(StoreError) -> Date? {
        let value = try await read("finding the next due send") { db in
            try Int64.fetchOne(db.cachedStatement(sql: Self.earliestWaitingSQL))
        }
        return value.map(Milliseconds.date)
    }

    /// The smallest `next_attempt_at` of a waiting row: one step into the `planned_sends_waiting` index.
    static let earliestWaitingSQL = """
        SELECT MIN(next_attempt_at) FROM planned_sends INDEXED BY planned_sends_waiting
        WHERE state IN \(Schema.waitingStates)
        """

    /// Claims the earliest due waiting rows: arguments are now (updated_at), the due limit and the count.
    ///
    /// `INDEXED BY` keeps SQLite on the partial index already in claiming order; without statistics
    /// the planner would pick `planned_sends_by_state` and sort every due row to take the first few.
    static let claimDueSQL = """
        UPDATE planned_sends SET state = 'in-flight', updated_at = ?
        WHERE id IN (
            SELECT id FROM planned_sends INDEXED BY planned_sends_waiting
            WHERE state IN \(Schema.waitingStates) AND next_attempt_at <= ?
            ORDER BY next_attempt_at, id LIMIT ?
        )
        RETURNING *
        """

    /// One transaction, one sync to disk, for many outcomes and the next claim (the scheduler's group commit).
    /// The claim is one `UPDATE ... RETURNING` in the same immediate transaction: the write lock makes it
    /// exclusive across threads and processes.
    ///
    /// For each record: `attempts` grows only when `update.attempted`; `lastCode` and `lastReply` are replaced
    /// after an attempt and kept otherwise unless given; `nextAttemptAt` is kept when `update` has none or the
    /// state is final. `log.sendID` is set to `sendID`. When the enrollment has ended meanwhile (the CLI ended it
    /// during the transfer), a waiting state and `next` become `cancelled`, each logged.
    package func recordAll(
        _ records: [SendRecord], at: Date, claiming: Int, dueBy: Date
    ) async throws(StoreError) -> [PlannedSend] {
        guard !records.isEmpty || claiming > 0 else { return [] }
        let (now, limit) = (Milliseconds.from(at), Milliseconds.from(dueBy))
        let action =
            switch (records.count, claiming) {
            case (0, _): "claiming due sends"
            case (1, 0): "recording the outcome of send \(records[0].sendID)"
            default: "recording the outcomes of \(records.count) sends"
            }
        let claimed = try await write(action) { db in
            for record in records { try apply(record, at: at, db) }
            guard claiming > 0 else { return [PlannedSend]() }
            return try Row.fetchAll(db.cachedStatement(sql: Self.claimDueSQL), arguments: [now, limit, claiming])
                .map { row in try stored(row, "planned_sends").plannedSend() }
        }
        return claimed.sorted { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
    }

    /// One record of ``recordAll(_:at:claiming:dueBy:)`` inside its open transaction.
    private func apply(_ record: SendRecord, at: Date, _ db: Database) throws {
        let (sendID, update, log, next) = (record.sendID, record.update, record.log, record.next)
        let current = try requireSend(sendID, db)
        let keepsTime = update.state.isFinal || update.nextAttemptAt == nil
        let nextAttempt = keepsTime ? current.nextAttemptAt : (update.nextAttemptAt ?? current.nextAttemptAt)
        let code = update.attempted ? update.code : (update.code ?? current.lastCode)
        let reply = update.attempted ? update.reply : (update.reply ?? current.lastReply)
        let values: [(any DatabaseValueConvertible)?] = [
            update.state.rawValue, Milliseconds.from(nextAttempt), update.attempted ? 1 : 0, code, reply,
            update.reason, update.reasonKind?.rawValue, Milliseconds.from(at), sendID,
        ]
        try db.cachedStatement(
            sql: """
                UPDATE planned_sends SET state = ?, next_attempt_at = ?, attempts = attempts + ?,
                    last_code = ?, last_reply = ?, reason = ?, reason_kind = ?, updated_at = ?
                WHERE id = ?
                """
        ).execute(arguments: StatementArguments(values))
        var entry = log
        entry.sendID = sendID
        try appendLog(entry, db)
        if update.state.isWaiting,
            let ended = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM enrollments WHERE id = ? AND ended_at IS NOT NULL"),
                arguments: [current.enrollmentID]), ended == 1
        {
            try cancel(
                try requireSend(sendID, db), detail: "enrollment ended during the attempt", kind: .enrollmentEnded,
                at: at, db)
        }
        if let next { _ = try insertPlan(next, at: at, db) }
    }

    /// Three indexed point reads per send, all in one read transaction (one snapshot, one trip to a reader
    /// connection for the whole claimed batch).
    package func sendContexts(_ keys: [SendContext.Key]) async throws(StoreError) -> [SendContext] {
        guard !keys.isEmpty else { return [] }
        return try await read("reading \(keys.count) lead(s) before sending") { db in
            let leads = try db.cachedStatement(sql: "SELECT * FROM leads WHERE email = ?")
            let enrollments = try db.cachedStatement(sql: "SELECT * FROM enrollments WHERE id = ?")
            return try keys.map { key in
                SendContext(
                    lead: try Row.fetchOne(leads, arguments: [key.lead.description]).map { row in
                        try stored(row, "leads").lead()
                    },
                    enrollment: try Row.fetchOne(enrollments, arguments: [key.enrollment]).map { row in
                        try stored(row, "enrollments").enrollment()
                    },
                    isSuppressed: try Self.isSuppressed(key.suppressionKey, db))
            }
        }
    }

    /// Each recovered row counts the interrupted transfer as an attempt (`attempts` + 1) and gets a log
    /// line with that attempt number, state `unknown`.
    package func recoverInFlight(at: Date) async throws(StoreError) -> [PlannedSend] {
        let detail = "daemon stopped during the transfer; the server may have it — not resent automatically"
        return try await write("recovering sends left in flight") { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE state = 'in-flight' ORDER BY id"))
            var recovered: [PlannedSend] = []
            for row in rows {
                let send = try stored(row, "planned_sends").plannedSend()
                try db.execute(
                    sql: """
                        UPDATE planned_sends SET state = 'unknown', attempts = attempts + 1, reason = ?,
                            reason_kind = 'outcome_unknown', updated_at = ?
                        WHERE id = ?
                        """, arguments: [detail, Milliseconds.from(at), send.id])
                try appendLog(
                    SendLogEntry(
                        at: at, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
                        messageID: send.messageID, state: .unknown, attempt: send.attempts + 1, detail: detail,
                        recipientDomain: send.leadEmail.domain, reasonKind: .outcomeUnknown), db)
                recovered.append(try requireSend(send.id, db))
            }
            return recovered
        }
    }

    @discardableResult
    package func cancelWaiting(
        sequence: String, keepingSteps: Set<String>, reason: String, at: Date
    ) async throws(StoreError) -> Int {
        try await write("cancelling waiting sends of sequence \(sequence)") { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM planned_sends WHERE state IN \(Schema.waitingStates) AND sequence = ?"),
                arguments: [sequence])
            var cancelled = 0
            for row in rows {
                let send = try stored(row, "planned_sends").plannedSend()
                guard !keepingSteps.contains(send.step) else { continue }
                try cancel(send, detail: reason, kind: .stepRemoved, at: at, db)
                cancelled += 1
            }
            return cancelled
        }
    }

    /// From the counts the triggers keep (`send_counts`, `Schema.v8ConsoleScale`), not the ledger itself.
    package func stateCounts() async throws(StoreError) -> [SendState: Int] {
        try await read("counting sends by state") { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT state, sum(n) AS count FROM send_counts GROUP BY state HAVING sum(n) <> 0"))
            var counts: [SendState: Int] = [:]
            for row in rows {
                let stored = stored(row, "planned_sends")
                counts[try stored.value("state", as: SendState.self)] = try stored.int("count")
            }
            return counts
        }
    }
}
