package import Foundation

/// Dates are stored as whole milliseconds since 1970, in every store: exact, sortable and readable in `sqlite3`
/// and `psql`.
///
/// The store keeps millisecond precision; a `Date` with finer precision comes back rounded to the
/// nearest millisecond.
package enum Milliseconds {
    /// The stored form of `date`.
    package static func from(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return value < 0 ? Int64.min : Int64.max }
        return Int64(max(min(value, 9.2e18), -9.2e18))
    }

    /// The date for a stored value.
    package static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
