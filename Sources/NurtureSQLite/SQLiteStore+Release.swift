package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    package func inFlightSends() async throws(StoreError) -> [PlannedSend] {
        try await read("reading the sends in flight") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM planned_sends WHERE state = 'in-flight' ORDER BY id")
            ).map { row in try stored(row, "planned_sends").plannedSend() }
        }
    }

    /// The waiting state a row had before its claim is the state of its newest waiting log line (`held` or
    /// `deferred`, or `planned` for a row given back before); `planned` when it has none. Rows not in flight
    /// are left alone.
    package func releaseInFlight(_ ids: [Int64], detail: String, at: Date) async throws(StoreError) -> [PlannedSend] {
        guard !ids.isEmpty else { return [] }
        return try await write("giving \(ids.count) unsent claimed sends back to the queue") { db in
            var released: [PlannedSend] = []
            for id in ids {
                let send = try requireSend(id, db)
                guard send.state == .inFlight else { continue }
                let previous =
                    try String.fetchOne(
                        db.cachedStatement(
                            sql: """
                                SELECT state FROM send_log INDEXED BY send_log_by_lead
                                WHERE lead_email = ? AND send_id = ? AND state IN \(Schema.waitingStates)
                                ORDER BY id DESC LIMIT 1
                                """), arguments: [send.leadEmail.description, id]
                    ).flatMap(SendState.init(rawValue:)) ?? .planned
                try db.cachedStatement(sql: "UPDATE planned_sends SET state = ?, updated_at = ? WHERE id = ?")
                    .execute(arguments: [previous.rawValue, Milliseconds.from(at), id])
                try appendLog(
                    SendLogEntry(
                        at: at, sendID: id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
                        messageID: send.messageID, state: previous, attempt: 0, detail: detail,
                        recipientDomain: send.leadEmail.domain), db)
                released.append(try requireSend(id, db))
            }
            return released
        }
    }
}

extension SQLiteStore {
    /// The ids of the sends in flight now, read on the calling thread, which it blocks (not part of
    /// ``SendStore``): the transfer journal's rotation asks for them under its own lock, once every few thousand
    /// transfers. Everything else reads through the async ``inFlightSends()``.
    package func inFlightSendIDsBlocking() throws(StoreError) -> Set<Int64> {
        do {
            return try pool.read { db in
                Set(try Int64.fetchAll(db, sql: "SELECT id FROM planned_sends WHERE state = 'in-flight'"))
            }
        } catch {
            throw StoreError.wrapping(error, path: path, action: "reading the ids of the sends in flight")
        }
    }
}
