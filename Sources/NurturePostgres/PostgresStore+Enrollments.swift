#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        package func enrollAll(
            _ requests: [EnrollmentRequest], at: Date, endingOthers: EnrollmentEndReason
        ) async throws(StoreError) -> [EnrollmentRecord] {
            let action =
                requests.count == 1
                ? "enrolling \(requests[0].email) in sequence \(requests[0].sequence)"
                : "enrolling \(requests.count) leads"
            return try await transaction(action) { connection in
                var records: [EnrollmentRecord] = []
                for request in requests {
                    let id = try await enroll(
                        request.email, in: request.sequence, at: at, endingOthers: endingOthers, on: connection)
                    records.append(try await requireEnrollment(id, on: connection))
                }
                return records
            }
        }

        /// Ends the lead's active enrollment, if any, and starts one in `sequence`. Two daemons enrolling the same
        /// lead at once take turns (a transaction-scoped advisory lock on the address), so the second ends the
        /// first's enrollment as SQLite's single writer would, instead of breaking the one-active-enrollment index.
        /// - Returns: the new enrollment's id.
        func enroll(
            _ email: EmailAddress, in sequence: String, at: Date, endingOthers: EnrollmentEndReason,
            on connection: PostgresConnection
        ) async throws -> Int64 {
            let lockKey = "nurture:enroll:\(email.description.lowercased())"
            try await execute("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", on: connection)
            let active = try await fetch(
                """
                SELECT id FROM enrollments WHERE lower(lead_email) = lower(\(email.description)) AND ended_at IS NULL
                FOR UPDATE
                """, on: connection, table: "enrollments"
            ) { row throws(StoreError) in try row.int64("id") }
            for id in active { _ = try await end(id, reason: endingOthers, at: at, on: connection) }
            let ids = try await fetch(
                """
                INSERT INTO enrollments (lead_email, sequence, started_at)
                VALUES (\(email.description), \(sequence), \(Milliseconds.from(at))) RETURNING id
                """, on: connection, table: "enrollments"
            ) { row throws(StoreError) in try row.int64("id") }
            guard let id = ids.first else {
                throw StoreError("\(settings): the new enrollment of \(email) was not returned")
            }
            return id
        }

        /// Enrolls each lead in its sequence (ending its active enrollment first) with its `enrolled` audit line,
        /// a thousand per statement: the batch form of ``enroll(_:in:at:endingOthers:on:)`` for `createLeads`.
        func enrollBatch(
            _ requests: [(email: EmailAddress, sequence: String)], at: Date, on connection: PostgresConnection
        ) async throws {
            let now = Milliseconds.from(at)
            for run in Self.runs(requests, size: 1000, key: { $0.email.description.lowercased() }) {
                let keys = run.map { $0.email.description.lowercased() }
                let active = try await fetch(
                    """
                    SELECT id FROM enrollments WHERE lower(lead_email) = ANY(\(keys)) AND ended_at IS NULL
                    ORDER BY id FOR UPDATE
                    """, on: connection, table: "enrollments"
                ) { row throws(StoreError) in try row.int64("id") }
                for id in active { _ = try await end(id, reason: .stageChanged, at: at, on: connection) }
                let emails = run.map(\.email.description)
                let sequences = run.map(\.sequence)
                let inserted = try await fetch(
                    """
                    INSERT INTO enrollments (lead_email, sequence, started_at)
                    SELECT email, sequence, \(now) FROM unnest(\(emails)::text[], \(sequences)::text[])
                        WITH ORDINALITY AS request(email, sequence, position)
                    ORDER BY position
                    RETURNING id, lead_email
                    """, on: connection, table: "enrollments"
                ) { row throws(StoreError) in (try row.text("lead_email").lowercased(), try row.int64("id")) }
                let ids = Dictionary(inserted, uniquingKeysWith: { first, _ in first })
                let audit = try run.map { request throws(StoreError) in
                    guard let id = ids[request.email.description.lowercased()] else {
                        throw StoreError("\(settings): the new enrollment of \(request.email) was not returned")
                    }
                    return LeadAuditEntry.enrolled(request.email, in: request.sequence, enrollmentID: id, at: at)
                }
                try await insertAudit(audit, on: connection)
            }
        }

        /// The enrollment `id`, which must exist.
        func requireEnrollment(_ id: Int64, on connection: PostgresConnection) async throws -> EnrollmentRecord {
            guard
                let enrollment = try await fetchOne(
                    "SELECT * FROM enrollments WHERE id = \(id)", on: connection, table: "enrollments",
                    { row throws(StoreError) in try row.enrollment() })
            else { throw StoreError(.notFound, "\(settings): enrollment \(id) does not exist") }
            return enrollment
        }

        /// Ending an enrollment that has already ended changes nothing and returns 0.
        /// - Throws: ``StoreError`` when no enrollment has this id.
        @discardableResult
        package func endEnrollment(_ id: Int64, reason: EnrollmentEndReason, at: Date) async throws(StoreError) -> Int {
            try await transaction("ending enrollment \(id)") { connection in
                try await end(id, reason: reason, at: at, on: connection)
            }
        }

        /// Ends enrollment `id` (locked) and cancels its waiting rows, each with a log line; returns how many.
        func end(
            _ id: Int64, reason: EnrollmentEndReason, at: Date, on connection: PostgresConnection
        ) async throws -> Int {
            guard
                let enrollment = try await fetchOne(
                    "SELECT * FROM enrollments WHERE id = \(id) FOR UPDATE", on: connection, table: "enrollments",
                    { row throws(StoreError) in try row.enrollment() })
            else { throw StoreError(.notFound, "\(settings): enrollment \(id) does not exist") }
            guard enrollment.isActive else { return 0 }
            let now = Milliseconds.from(at)
            try await execute(
                "UPDATE enrollments SET ended_at = \(now), end_reason = \(reason.rawValue) WHERE id = \(id)",
                on: connection)
            let detail = "enrollment ended: \(reason)"
            let kind = ReasonKind.enrollmentEnded.rawValue
            // Each waiting row becomes `cancelled` with the decision's log line, as the ledger's cancel writes it.
            return try await execute(
                """
                WITH cancelled AS (
                    UPDATE planned_sends SET state = 'cancelled', reason = \(detail), reason_kind = \(kind),
                        updated_at = \(now)
                    WHERE enrollment_id = \(id) AND state IN \(unescaped: PostgresSchema.waitingStates)
                    RETURNING id, lead_email, sequence, step, message_id
                )
                INSERT INTO send_log (
                    at, send_id, lead_email, sequence, step, message_id, state, attempt, detail, recipient_domain,
                    reason_kind
                )
                SELECT \(now), id, lead_email, sequence, step, message_id, 'cancelled', 0, \(detail),
                    \(unescaped: Self.recipientDomainSQL), \(kind)
                FROM cancelled ORDER BY id
                RETURNING 1
                """, on: connection)
        }

        package func enrollment(_ id: Int64) async throws(StoreError) -> EnrollmentRecord? {
            try await read("reading enrollment \(id)") { connection in
                try await fetchOne(
                    "SELECT * FROM enrollments WHERE id = \(id)", on: connection, table: "enrollments",
                    { row throws(StoreError) in try row.enrollment() })
            }
        }

        package func enrollments(for email: EmailAddress) async throws(StoreError) -> [EnrollmentRecord] {
            try await read("reading the enrollments of \(email)") { connection in
                try await fetch(
                    "SELECT * FROM enrollments WHERE lower(lead_email) = lower(\(email.description)) ORDER BY id",
                    on: connection, table: "enrollments"
                ) { row throws(StoreError) in try row.enrollment() }
            }
        }

        /// Active enrollments flagged `needs_plan` (kept current by triggers, read through its partial index),
        /// oldest first.
        package func enrollmentsNeedingPlan(limit: Int) async throws(StoreError) -> [EnrollmentRecord] {
            guard limit > 0 else { return [] }
            return try await read("finding enrollments that need a plan") { connection in
                try await fetch(
                    "SELECT * FROM enrollments WHERE needs_plan = 1 ORDER BY id LIMIT \(limit)", on: connection,
                    table: "enrollments"
                ) { row throws(StoreError) in try row.enrollment() }
            }
        }
    }
#endif
