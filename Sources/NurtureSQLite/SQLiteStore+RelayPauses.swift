import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    package func saveRelayPause(_ pause: RelayPause) async throws(StoreError) {
        try await write("recording the pause of relay \(pause.relay)") { db in
            try db.execute(
                sql: """
                    INSERT INTO relay_pauses (relay, cause, since, until, refusals) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (relay) DO UPDATE SET cause = excluded.cause, since = excluded.since,
                        until = excluded.until, refusals = excluded.refusals
                    """,
                arguments: [
                    pause.relay, pause.cause, Milliseconds.from(pause.since), Milliseconds.from(pause.until),
                    pause.refusals,
                ])
        }
    }

    package func clearRelayPause(relay: String) async throws(StoreError) {
        try await write("ending the pause of relay \(relay)") { db in
            try db.execute(sql: "DELETE FROM relay_pauses WHERE relay = ?", arguments: [relay])
        }
    }

    package func relayPauses() async throws(StoreError) -> [RelayPause] {
        try await read("reading relay pauses") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM relay_pauses ORDER BY relay").map { row in
                let stored = stored(row, "relay_pauses")
                return RelayPause(
                    relay: try stored.text("relay"), cause: try stored.text("cause"), since: try stored.date("since"),
                    until: try stored.date("until"), refusals: try stored.int("refusals"))
            }
        }
    }
}
