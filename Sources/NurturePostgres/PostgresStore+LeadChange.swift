#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        @discardableResult
        package func apply(_ change: LeadChange, at: Date) async throws(StoreError) -> LeadChangeResult {
            let cursorJSON = try change.cursor.map { cursor throws(StoreError) in try Self.encode(cursor) }
            return try await transaction("changing lead \(change.lead.email)") { connection in
                try await write(change, cursorJSON: cursorJSON, at: at, on: connection)
            }
        }

        /// The statements of ``apply(_:at:)``, inside its transaction.
        private func write(
            _ change: LeadChange, cursorJSON: String?, at: Date, on connection: PostgresConnection
        ) async throws -> LeadChangeResult {
            let email = change.lead.email
            let now = Milliseconds.from(at)
            let created = try await upsertLeads([change.lead], at: now, on: connection) == 1
            var result = LeadChangeResult(created: created)
            var started: Int64?
            for step in change.steps {
                switch step {
                case .audit(let entry):
                    try await insertAudit([entry], on: connection)
                case .suppress(let reason):
                    try await insertSuppressions([(change.suppressionKey, reason)], at: now, on: connection)
                case .end(let enrollment, let sequence, let reason):
                    guard let id = enrollment ?? started else {
                        throw StoreError("lead \(email): the change ends an enrollment of \(sequence) it did not start")
                    }
                    let cancelled = try await end(id, reason: reason, at: at, on: connection)
                    result.cancelled.append(cancelled)
                    let detail = LeadChange.endedDetail(sequence: sequence, reason: reason, cancelled: cancelled)
                    try await insertAudit(
                        [LeadAuditEntry(at: at, leadEmail: email, kind: "enrollment-ended", detail: detail)],
                        on: connection)
                case .enroll(let sequence):
                    let id = try await enroll(email, in: sequence, at: at, endingOthers: .stageChanged, on: connection)
                    started = id
                    result.enrolled.append(id)
                    try await insertAudit([.enrolled(email, in: sequence, enrollmentID: id, at: at)], on: connection)
                case .pause(let enrollment, let until):
                    try await pause(enrollment, of: email, until: until, at: at, on: connection)
                case .inbound(let record):
                    try await insertInbound(record, on: connection)
                }
            }
            if let cursorJSON { try await saveRoundRobinCursor(json: cursorJSON, on: connection) }
            return result
        }

        /// Pauses active enrollment `id` of `email` until `until` (a later pause replaces an earlier one), with its
        /// `paused` audit line; an ended enrollment is left as it is.
        private func pause(
            _ id: Int64, of email: EmailAddress, until: Date, at: Date, on connection: PostgresConnection
        ) async throws {
            guard
                let enrollment = try await fetchOne(
                    "SELECT * FROM enrollments WHERE id = \(id) FOR UPDATE", on: connection, table: "enrollments",
                    { row throws(StoreError) in try row.enrollment() })
            else {
                throw StoreError(.notFound, "\(settings): enrollment \(id) of \(email) does not exist")
            }
            guard enrollment.leadEmail.description.lowercased() == email.description.lowercased() else {
                throw StoreError(
                    "lead \(email): the change pauses enrollment \(id), which belongs to \(enrollment.leadEmail)")
            }
            guard enrollment.isActive else { return }
            try await execute(
                "UPDATE enrollments SET paused_until = \(Milliseconds.from(until)) WHERE id = \(id)",
                on: connection)
            try await insertAudit([.paused(email, sequence: enrollment.sequence, until: until, at: at)], on: connection)
        }
    }
#endif
