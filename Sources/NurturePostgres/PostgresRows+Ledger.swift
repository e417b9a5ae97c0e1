#if PostgreSQL
    import Foundation
    import NurtureCore
    import PostgresNIO

    extension Milliseconds {
        /// `date` plus `duration`, stored form (the end of a lease).
        static func from(_ date: Date, plus duration: Duration) -> Int64 {
            let (seconds, attoseconds) = duration.components
            return from(date) + seconds * 1000 + attoseconds / 1_000_000_000_000_000
        }
    }

    extension PostgresStoredRow {
        /// The ledger row in a `planned_sends` row.
        func plannedSend() throws(StoreError) -> PlannedSend {
            PlannedSend(
                id: try int64("id"), enrollmentID: try int64("enrollment_id"), leadEmail: try email("lead_email"),
                sequence: try text("sequence"), step: try text("step"), stepNumber: try int("step_number"),
                track: try value("track", as: Track.self), dueAt: try date("due_at"),
                nextAttemptAt: try date("next_attempt_at"), state: try value("state", as: SendState.self),
                attempts: try int("attempts"), messageID: try text("message_id"),
                lastCode: try optionalInt("last_code"), lastReply: try optionalText("last_reply"),
                reason: try optionalText("reason"),
                reasonKind: try optionalText("reason_kind").flatMap(ReasonKind.init(rawValue:)),
                createdAt: try date("created_at"), updatedAt: try date("updated_at"))
        }

        /// The line in a `send_log` row.
        func logEntry() throws(StoreError) -> SendLogEntry {
            SendLogEntry(
                id: try int64("id"), at: try date("at"), sendID: try int64("send_id"),
                leadEmail: try email("lead_email"), sequence: try text("sequence"), step: try text("step"),
                messageID: try text("message_id"), state: try value("state", as: SendState.self),
                attempt: try int("attempt"), code: try optionalInt("code"), reply: try optionalText("reply"),
                detail: try optionalText("detail"), sender: try optionalText("sender"),
                recipientDomain: try text("recipient_domain"), startedAt: try optionalDate("started_at"),
                reasonKind: try optionalText("reason_kind").flatMap(ReasonKind.init(rawValue:)))
        }
    }

    extension PostgresStore {
        /// The `planned_sends` rows of `query`, in the order the database returns them.
        func plannedSends(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PlannedSend] {
            var sends: [PlannedSend] = []
            for try await row in try await connection.query(query, logger: logger) {
                sends.append(try PostgresStoredRow(row, table: "planned_sends", database: "\(settings)").plannedSend())
            }
            return sends
        }

        /// The one `planned_sends` row `id`, or `nil`.
        func plannedSend(_ id: Int64, locking: Bool, on connection: PostgresConnection) async throws -> PlannedSend? {
            let lock = locking ? " FOR UPDATE" : ""
            return try await plannedSends(
                "SELECT * FROM planned_sends WHERE id = \(id)\(unescaped: lock)", on: connection
            ).first
        }

        /// The row `id`, or a ``StoreError`` saying it does not exist.
        func requireSend(_ id: Int64, locking: Bool, on connection: PostgresConnection) async throws -> PlannedSend {
            guard let send = try await plannedSend(id, locking: locking, on: connection) else {
                throw StoreError(.notFound, "\(settings): send \(id) does not exist")
            }
            return send
        }
    }
#endif
