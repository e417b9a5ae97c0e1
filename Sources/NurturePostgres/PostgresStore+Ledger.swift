#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    /// `text` without surrounding white space and angle brackets.
    private func messageIDWithoutBrackets(_ text: String) -> String {
        var value = Substring(text.trimmingCharacters(in: .whitespaces))
        if value.hasPrefix("<") { value = value.dropFirst() }
        if value.hasSuffix(">") { value = value.dropLast() }
        return String(value)
    }

    extension PostgresStore {
        /// Planning a step of an enrollment that has ended stores the row as `cancelled` (with a log line)
        /// instead of `planned`, so a plan racing with the CLI's `endEnrollment` is never sent. The enrollment row
        /// is read `FOR SHARE`: an `endEnrollment` running meanwhile waits for this commit, then cancels the new
        /// row with the others. Other daemons are woken (NOTIFY, delivered at commit).
        /// - Throws: ``StoreError`` (``StoreError/Code/notFound``) when an enrollment does not exist.
        package func planAll(_ sends: [NewPlannedSend], at: Date) async throws(StoreError) -> [PlannedSend] {
            guard !sends.isEmpty else { return [] }
            let action =
                sends.count == 1
                ? "planning step \(sends[0].step) of enrollment \(sends[0].enrollmentID)"
                : "planning \(sends.count) sends"
            return try await transaction(action) { connection in
                var rows: [PlannedSend] = []
                for send in sends { rows.append(try await insertPlan(send, at: at, on: connection)) }
                try await wake(on: connection)
                return rows
            }
        }

        /// Inserts the row for `send` unless the (enrollment, step) exists; returns the stored row.
        func insertPlan(_ send: NewPlannedSend, at: Date, on connection: PostgresConnection) async throws
            -> PlannedSend
        {
            let existing = try await plannedSends(
                "SELECT * FROM planned_sends WHERE enrollment_id = \(send.enrollmentID) AND step = \(send.step)",
                on: connection)
            if let existing = existing.first { return existing }
            var enrollment: (endedAt: Int64?, endReason: String?)?
            let found = try await connection.query(
                "SELECT ended_at, end_reason FROM enrollments WHERE id = \(send.enrollmentID) FOR SHARE",
                logger: logger)
            for try await row in found.decode((Int64?, String?).self) { enrollment = row }
            guard let enrollment else {
                throw StoreError(
                    .notFound,
                    "\(settings): cannot plan step \(send.step) for enrollment \(send.enrollmentID),"
                        + " which does not exist")
            }
            let now = Milliseconds.from(at)
            if let token = send.unsubscribeToken {
                try await connection.query(
                    """
                    INSERT INTO unsubscribe_tokens (token, lead_email, issued_at)
                    VALUES (\(token), \(send.leadEmail.description), \(now)) ON CONFLICT (token) DO NOTHING
                    """, logger: logger)
            }
            // A daemon planning the same step at the same moment: the unique (enrollment, step) keeps one row.
            let inserted = try await plannedSends(
                """
                INSERT INTO planned_sends (
                    enrollment_id, lead_email, sequence, step, step_number, track, due_at, next_attempt_at,
                    state, message_id, reason, reason_kind, created_at, updated_at
                ) VALUES (
                    \(send.enrollmentID), \(send.leadEmail.description), \(send.sequence), \(send.step),
                    \(send.stepNumber), \(send.track.rawValue), \(Milliseconds.from(send.dueAt)),
                    \(Milliseconds.from(send.nextAttemptAt)), 'planned', \(send.messageID), \(send.reason),
                    \(send.reasonKind?.rawValue), \(now), \(now)
                ) ON CONFLICT (enrollment_id, step) DO NOTHING
                RETURNING *
                """, on: connection)
            guard let row = inserted.first else {
                let raced = try await plannedSends(
                    "SELECT * FROM planned_sends WHERE enrollment_id = \(send.enrollmentID) AND step = \(send.step)",
                    on: connection)
                guard let raced = raced.first else {
                    throw StoreError(.failed, "\(settings): step \(send.step) vanished while it was planned")
                }
                return raced
            }
            guard enrollment.endedAt == nil else {
                let reason = enrollment.endReason.map { " (\($0))" } ?? ""
                return try await moveWithoutTransfer(
                    row, to: .cancelled, detail: "enrollment ended\(reason) before this step was planned",
                    kind: .enrollmentEnded, at: at, on: connection)
            }
            return row
        }

        /// Moves `send` to `state` (a decision, no SMTP transfer), logging `detail`; returns the new row.
        func moveWithoutTransfer(
            _ send: PlannedSend, to state: SendState, detail: String, kind: ReasonKind, at: Date,
            on connection: PostgresConnection
        ) async throws -> PlannedSend {
            let moved = try await plannedSends(
                """
                UPDATE planned_sends SET state = \(state.rawValue), reason = \(detail), reason_kind = \(kind.rawValue),
                    updated_at = \(Milliseconds.from(at)), owner = NULL, lease_until = NULL
                WHERE id = \(send.id) RETURNING *
                """, on: connection)
            try await appendLog(
                SendLogEntry(
                    at: at, sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
                    messageID: send.messageID, state: state, attempt: 0, detail: detail,
                    recipientDomain: send.leadEmail.domain, reasonKind: kind), on: connection)
            return moved.first ?? send
        }

        package func send(_ id: Int64) async throws(StoreError) -> PlannedSend? {
            try await read("reading send \(id)") { connection in
                try await plannedSend(id, locking: false, on: connection)
            }
        }

        package func sends(for email: EmailAddress) async throws(StoreError) -> [PlannedSend] {
            try await read("reading the sends of \(email)") { connection in
                try await plannedSends(
                    "SELECT * FROM planned_sends WHERE lower(lead_email) = lower(\(email.description)) ORDER BY id",
                    on: connection)
            }
        }

        package func sends(forEnrollments ids: [Int64]) async throws(StoreError) -> [PlannedSend] {
            guard !ids.isEmpty else { return [] }
            return try await read("reading the sends of \(ids.count) enrollments") { connection in
                try await plannedSends(
                    "SELECT * FROM planned_sends WHERE enrollment_id = ANY(\(ids)) ORDER BY id", on: connection)
            }
        }

        /// The ledger keeps the header form `<left@right>`; a caller may pass either form.
        package func sends(messageIDs: [String]) async throws(StoreError) -> [PlannedSend] {
            let bare = Set(messageIDs.map(messageIDWithoutBrackets).filter { !$0.isEmpty })
            guard !bare.isEmpty else { return [] }
            let values = bare.sorted().flatMap { [$0, "<\($0)>"] }
            return try await read("finding sends by Message-ID") { connection in
                try await plannedSends(
                    "SELECT * FROM planned_sends WHERE message_id = ANY(\(values)) ORDER BY id", on: connection)
            }
        }

        package func earliestWaiting() async throws(StoreError) -> Date? {
            try await read("finding the next due send") { connection in
                var earliest: Int64?
                let rows = try await connection.query(
                    """
                    SELECT MIN(next_attempt_at) FROM planned_sends
                    WHERE state IN \(unescaped: PostgresSchema.waitingStates)
                    """, logger: logger)
                for try await value in rows.decode(Int64?.self) { earliest = value }
                return earliest.map(Milliseconds.date)
            }
        }

        @discardableResult
        package func cancelWaiting(
            sequence: String, keepingSteps: Set<String>, reason: String, at: Date
        ) async throws(StoreError) -> Int {
            try await transaction("cancelling waiting sends of sequence \(sequence)") { connection in
                let rows = try await plannedSends(
                    """
                    SELECT * FROM planned_sends
                    WHERE sequence = \(sequence) AND state IN \(unescaped: PostgresSchema.waitingStates)
                        AND NOT (step = ANY(\(keepingSteps.sorted())))
                    ORDER BY id FOR UPDATE
                    """, on: connection)
                for send in rows {
                    _ = try await moveWithoutTransfer(
                        send, to: .cancelled, detail: reason, kind: .stepRemoved, at: at, on: connection)
                }
                return rows.count
            }
        }

        /// From the counts the triggers keep (`PostgresSchema.v4ConsoleScale`), not the ledger itself.
        package func stateCounts() async throws(StoreError) -> [SendState: Int] {
            try await read("counting sends by state") { connection in
                var counts: [SendState: Int] = [:]
                let rows = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT state, sum(n)::BIGINT FROM \(PostgresSchema.sendCountsNow)"
                            + " GROUP BY state HAVING sum(n) <> 0"),
                    logger: logger)
                for try await (state, count) in rows.decode((String, Int).self) {
                    guard let known = SendState(rawValue: state) else {
                        throw StoreError(
                            .corrupt,
                            "\(settings): table planned_sends has rows in an unknown state \"\(state)\";"
                                + " correct them with psql, or restore a backup")
                    }
                    counts[known] = count
                }
                return counts
            }
        }
    }
#endif
