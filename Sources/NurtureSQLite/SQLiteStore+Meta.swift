package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    private static let cursorKey = "round-robin-cursor"

    package func roundRobinCursor() async throws(StoreError) -> RoundRobinCursor {
        let value = try await read("reading the round-robin cursor") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT key, value FROM meta WHERE key = ?"), arguments: [Self.cursorKey]
            ).map { row in try stored(row, "meta").text("value") }
        }
        guard let json = value else { return RoundRobinCursor() }
        do {
            return try JSONDecoder().decode(RoundRobinCursor.self, from: Data(json.utf8))
        } catch {
            throw StoreError(
                "database file \(path): row \(Self.cursorKey) of table meta is not a valid round-robin cursor"
                    + " (\(error)); delete the row with sqlite3 to restart the rotation")
        }
    }

    package func saveRoundRobinCursor(_ cursor: RoundRobinCursor) async throws(StoreError) {
        let json = try Self.encode(cursor)
        try await write("saving the round-robin cursor") { db in try saveRoundRobinCursor(json: json, db) }
    }

    /// The cursor as stored: JSON with sorted keys.
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
    func saveRoundRobinCursor(json: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [Self.cursorKey, json])
    }

    /// Suppressing an address twice keeps the first reason and time.
    package func suppress(_ key: SuppressionKey, reason: String, at: Date) async throws(StoreError) {
        try await write("suppressing an address") { db in
            try suppress(key, reason: reason, at: Milliseconds.from(at), db)
        }
    }

    /// Adds the key's written hash to the suppression list unless it is there, with a cached statement.
    func suppress(_ key: SuppressionKey, reason: String, at: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO suppressions (address_hash, reason, at) VALUES (?, ?, ?)")
            .execute(arguments: [key.written.lowercased(), reason, at])
    }

    /// Whether any accepted form of `key` (keyed, legacy unkeyed) is on the list; one indexed lookup per form.
    static func isSuppressed(_ key: SuppressionKey, _ db: Database) throws -> Bool {
        let forms = key.accepted.map { $0.lowercased() }
        guard !forms.isEmpty else { return false }
        let marks = Array(repeating: "?", count: forms.count).joined(separator: ", ")
        return try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM suppressions WHERE address_hash IN (\(marks))"),
            arguments: StatementArguments(forms)) != nil
    }
}
