#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        private static let cursorKey = "round-robin-cursor"

        package func roundRobinCursor() async throws(StoreError) -> RoundRobinCursor {
            let value = try await read("reading the round-robin cursor") { connection in
                try await fetchOne(
                    "SELECT key, value FROM meta WHERE key = \(Self.cursorKey)", on: connection, table: "meta",
                    { row throws(StoreError) in try row.text("value") })
            }
            guard let json = value else { return RoundRobinCursor() }
            do {
                return try JSONDecoder().decode(RoundRobinCursor.self, from: Data(json.utf8))
            } catch {
                throw StoreError(
                    "\(settings): row \(Self.cursorKey) of table meta is not a valid round-robin cursor (\(error));"
                        + " delete the row with psql to restart the rotation")
            }
        }

        package func saveRoundRobinCursor(_ cursor: RoundRobinCursor) async throws(StoreError) {
            let json = try Self.encode(cursor)
            try await transaction("saving the round-robin cursor") { connection in
                try await saveRoundRobinCursor(json: json, on: connection)
            }
        }

        /// The cursor as stored: JSON with sorted keys (the SQLite store's text).
        static func encode(_ cursor: RoundRobinCursor) throws(StoreError) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            do {
                return String(decoding: try encoder.encode(cursor), as: UTF8.self)
            } catch {
                throw StoreError("cannot encode the round-robin cursor: \(error)")
            }
        }

        /// Stores the encoded cursor.
        func saveRoundRobinCursor(json: String, on connection: PostgresConnection) async throws {
            try await execute(
                """
                INSERT INTO meta (key, value) VALUES (\(Self.cursorKey), \(json))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, on: connection)
        }

        /// Proves the database takes writes: a tiny row (the time of the probe) is written and committed.
        package func probeWrite(at: Date) async throws(StoreError) {
            let value = "\(Milliseconds.from(at))"
            try await transaction("probing that the store takes writes") { connection in
                try await execute(
                    """
                    INSERT INTO meta (key, value) VALUES ('health_probe', \(value))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, on: connection)
            }
        }
    }
#endif
