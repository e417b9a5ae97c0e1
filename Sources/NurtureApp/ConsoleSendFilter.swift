package import Foundation
package import NurtureCore

/// The send log's filters as the page's query string gives them (`lead`, `sequence`, `step`, `state`, `track`,
/// `sender`, `from`, `to`, and the next page's `after` with, for a date range, `after_due`), read into a
/// ``SendQuery``. Pure. A value that cannot be read is a problem naming
/// the field and what to write, shown above the table; the rest of the filters still apply.
package struct ConsoleSendFilter: Sendable, Hashable {
    /// The query for the store.
    package var query: SendQuery
    /// The filter values as given (trimmed), by field name, to fill the form and the next-page link.
    package var values: [String: String]
    /// What could not be read, one line per field.
    package var problems: [String]

    /// The field names, in the form's order.
    package static let fields = ["lead", "sequence", "step", "state", "track", "sender", "from", "to"]

    /// Reads `parameters` (the query string's name-value pairs); at most `limit` rows a page.
    package init(_ parameters: [String: String], limit: Int = 50) {
        var values: [String: String] = [:]
        for field in Self.fields + ["after", "after_due"] {
            if let value = parameters[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                values[field] = value
            }
        }
        var query = SendQuery(limit: limit)
        var problems: [String] = []
        query.leadPrefix = values["lead"]
        query.sequence = values["sequence"]
        query.step = values["step"]
        query.sender = values["sender"]
        if let text = values["state"] {
            if let state = SendState(rawValue: text) {
                query.state = state
            } else {
                problems.append(
                    "state: `\(text)` is not a state; use one of "
                        + SendState.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if let text = values["track"] {
            if let track = Track(rawValue: text) {
                query.track = track
            } else {
                problems.append("track: `\(text)` is not a track; use marketing or sales")
            }
        }
        for (field, next) in [("from", false), ("to", true)] {
            guard let text = values[field] else { continue }
            if let day = Self.day(text) {
                let date = next ? day.addingTimeInterval(86_400) : day
                if field == "from" { query.from = date } else { query.to = date }
            } else {
                problems.append("\(field): `\(text)` is not a date; write YYYY-MM-DD (UTC), e.g. 2026-01-31")
            }
        }
        if let text = values["after"] {
            if let id = Int64(text), id > 0 {
                query.after = id
            } else {
                problems.append("after: `\(text)` is not a send id; follow the Next link instead")
            }
        }
        if query.ordersByDue, query.after != nil {
            // A page of a date range ends at a due time and an id: both carry to the next.
            if let text = values["after_due"], let milliseconds = Int64(text) {
                query.afterDue = Milliseconds.date(milliseconds)
            } else {
                query.after = nil
                problems.append(
                    "after_due: `\(values["after_due"] ?? "")` is not the due time of a page's last send; follow the"
                        + " Next link instead")
            }
        }
        self.query = query
        self.values = values
        self.problems = problems
    }

    /// Midnight UTC of a `YYYY-MM-DD` date, or `nil`.
    package static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }

    /// The query string of these filters with the page cursor replaced: the page after the send with id `after`
    /// due at `due` (this page's last; `after` `nil` for the first page), each value percent-encoded. The due time
    /// is part of the cursor only for a date range (``SendQuery/ordersByDue``).
    package func queryString(after: Int64?, due: Date? = nil) -> String {
        var pairs = Self.fields.compactMap { field in values[field].map { (field, $0) } }
        if let after {
            pairs.append(("after", String(after)))
            if query.ordersByDue, let due { pairs.append(("after_due", String(Milliseconds.from(due)))) }
        }
        return pairs.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), for a query value or a path segment.
    package static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
