internal import Foundation
internal import GRDB
internal import NurtureCore

/// Reads the columns of one stored row without trusting them.
///
/// A value of the wrong type, an unknown enum name or an invalid address becomes a ``StoreError`` that
/// names the file, the table, the row and the column, never a crash.
struct StoredRow {
    let row: Row
    let table: String
    let path: String

    /// The row's `id` (or `key`) for messages.
    private var rowName: String {
        if let id = row["id"] { return "row \(id)" }
        if let key = row["key"] { return "row \(key)" }
        return "a row"
    }

    private func problem(_ column: String, _ what: String) -> StoreError {
        StoreError(
            "database file \(path): \(rowName) of table \(table) has \(what) in column \(column);"
                + " correct or delete the row with sqlite3, or restore a backup")
    }

    func text(_ column: String) throws(StoreError) -> String {
        guard let value = try optionalText(column) else { throw problem(column, "no value") }
        return value
    }

    func optionalText(_ column: String) throws(StoreError) -> String? {
        switch row[column] {
        case nil: return nil
        case let value as String: return value
        case let value?: throw problem(column, "a non-text value \(String(describing: value))")
        }
    }

    func int64(_ column: String) throws(StoreError) -> Int64 {
        guard let value = try optionalInt64(column) else { throw problem(column, "no value") }
        return value
    }

    func optionalInt64(_ column: String) throws(StoreError) -> Int64? {
        switch row[column] {
        case nil: return nil
        case let value as Int64: return value
        case let value?: throw problem(column, "a non-integer value \(String(describing: value))")
        }
    }

    func int(_ column: String) throws(StoreError) -> Int {
        let value = try int64(column)
        guard let result = Int(exactly: value) else { throw problem(column, "an out-of-range number \(value)") }
        return result
    }

    func optionalInt(_ column: String) throws(StoreError) -> Int? {
        guard let value = try optionalInt64(column) else { return nil }
        guard let result = Int(exactly: value) else { throw problem(column, "an out-of-range number \(value)") }
        return result
    }

    /// An IMAP number (UID, UIDVALIDITY): 32 bits, unsigned.
    func uint32(_ column: String) throws(StoreError) -> UInt32 {
        let value = try int64(column)
        guard let result = UInt32(exactly: value) else { throw problem(column, "an out-of-range number \(value)") }
        return result
    }

    func bool(_ column: String) throws(StoreError) -> Bool {
        try int64(column) != 0
    }

    func date(_ column: String) throws(StoreError) -> Date {
        Milliseconds.date(try int64(column))
    }

    func optionalDate(_ column: String) throws(StoreError) -> Date? {
        try optionalInt64(column).map(Milliseconds.date)
    }

    func value<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws(StoreError) -> Value
    where Value.RawValue == String {
        let raw = try text(column)
        guard let value = Value(rawValue: raw) else {
            throw problem(column, "an unknown value \(raw.debugDescription)")
        }
        return value
    }

    func optionalValue<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws(StoreError) -> Value?
    where Value.RawValue == String {
        guard let raw = try optionalText(column) else { return nil }
        guard let value = Value(rawValue: raw) else {
            throw problem(column, "an unknown value \(raw.debugDescription)")
        }
        return value
    }

    func email(_ column: String) throws(StoreError) -> EmailAddress {
        let raw = try text(column)
        do {
            return try EmailAddress(raw)
        } catch {
            throw problem(column, "an invalid address (\(error))")
        }
    }

    func attributes(_ column: String) throws(StoreError) -> [String: String] {
        let raw = try text(column)
        if raw == "{}" { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(raw.utf8))
        } catch {
            throw problem(column, "attributes that are not a JSON object of strings")
        }
    }
}
