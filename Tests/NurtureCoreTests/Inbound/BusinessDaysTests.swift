import Foundation
import NurtureCore
import Testing

/// The first business day after a date, and where it starts in a zone.
@Suite("Business days")
struct BusinessDaysTests {
    private static func day(_ text: String) -> LocalDate { LocalDate(parsing: text)! }

    @Test(
        "the next weekday after a date (2026-12-14 is a Monday)",
        arguments: [
            ("2026-12-14", "2026-12-15"),  // Mon → Tue
            ("2026-12-17", "2026-12-18"),  // Thu → Fri
            ("2026-12-18", "2026-12-21"),  // Fri → Mon
            ("2026-12-19", "2026-12-21"),  // Sat → Mon
            ("2026-12-20", "2026-12-21"),  // Sun → Mon
            ("2026-12-31", "2027-01-01"),  // Thu → Fri, across the year
            ("2028-02-28", "2028-02-29"),  // Mon → Tue, leap day
            ("2027-02-26", "2027-03-01"),  // Fri → Mon, across February
        ])
    func nextBusinessDay(from: String, expected: String) {
        #expect(BusinessDays.firstBusinessDay(after: Self.day(from)).description == expected)
    }

    @Test(
        "the start of a day is local midnight",
        arguments: [
            ("2026-12-15", "Europe/Berlin", "2026-12-14T23:00:00Z"),
            ("2026-12-15", "America/New_York", "2026-12-15T05:00:00Z"),
            ("2026-07-15", "America/New_York", "2026-07-15T04:00:00Z"),
            ("2026-12-15", "Asia/Tokyo", "2026-12-14T15:00:00Z"),
            ("2026-12-15", "UTC", "2026-12-15T00:00:00Z"),
        ])
    func startOfDay(date: String, zone: String, expected: String) throws {
        let start = BusinessDays.start(of: Self.day(date), in: try #require(TimeZone(identifier: zone)))
        #expect(start == ISO8601DateFormatter().date(from: expected))
    }

    @Test("a day whose midnight is skipped starts when the clocks resume (Santiago, 2026-09-06)")
    func skippedMidnight() throws {
        let zone = try #require(TimeZone(identifier: "America/Santiago"))
        let start = BusinessDays.start(of: Self.day("2026-09-06"), in: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        #expect((parts.year, parts.month, parts.day) == (2026, 9, 6))
        #expect(start < BusinessDays.start(of: Self.day("2026-09-07"), in: zone))
    }

    @Test("the pause ends at the start of the next business day in the lead's zone")
    func combined() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let until = BusinessDays.startOfFirstBusinessDay(after: Self.day("2026-12-18"), in: zone)
        #expect(until == ISO8601DateFormatter().date(from: "2026-12-20T23:00:00Z"))
    }
}
