#if PostgreSQL
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        package func saveRelayPause(_ pause: RelayPause) async throws(StoreError) {
            let since = Milliseconds.from(pause.since)
            let until = Milliseconds.from(pause.until)
            try await transaction("recording the pause of relay \(pause.relay)") { connection in
                try await execute(
                    """
                    INSERT INTO relay_pauses (relay, cause, since, until, refusals)
                    VALUES (\(pause.relay), \(pause.cause), \(since), \(until), \(pause.refusals))
                    ON CONFLICT (relay) DO UPDATE SET cause = excluded.cause, since = excluded.since,
                        until = excluded.until, refusals = excluded.refusals
                    """, on: connection)
            }
        }

        package func clearRelayPause(relay: String) async throws(StoreError) {
            try await transaction("ending the pause of relay \(relay)") { connection in
                try await execute("DELETE FROM relay_pauses WHERE relay = \(relay)", on: connection)
            }
        }

        package func relayPauses() async throws(StoreError) -> [RelayPause] {
            try await read("reading relay pauses") { connection in
                try await fetch(
                    "SELECT * FROM relay_pauses ORDER BY relay COLLATE \"C\"", on: connection, table: "relay_pauses"
                ) { row throws(StoreError) in try row.relayPause() }
            }
        }
    }
#endif
