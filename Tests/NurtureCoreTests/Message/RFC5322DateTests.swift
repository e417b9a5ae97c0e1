import Foundation
import Testing

@testable import NurtureCore

@Suite("RFC 5322 Date header")
struct RFC5322DateTests {
    @Test("formats the issue's example in UTC")
    func example() throws {
        #expect(try RFC5322Date.format(Fixture.date, utcOffsetSeconds: 0) == "Mon, 23 Nov 2026 09:00:00 +0000")
    }

    @Test(
        "applies the offset to the wall-clock time, day and weekday",
        arguments: [
            (-5 * 3600, "Mon, 23 Nov 2026 04:00:00 -0500"),
            (-10 * 3600, "Sun, 22 Nov 2026 23:00:00 -1000"),
            (5 * 3600 + 45 * 60, "Mon, 23 Nov 2026 14:45:00 +0545"),
            (15 * 3600, "Tue, 24 Nov 2026 00:00:00 +1500"),
            (-(3 * 3600 + 30 * 60), "Mon, 23 Nov 2026 05:30:00 -0330"),
        ])
    func offsets(offset: Int, expected: String) throws {
        #expect(try RFC5322Date.format(Fixture.date, utcOffsetSeconds: offset) == expected)
    }

    @Test(
        "matches known calendar dates, leap days and pre-1970 dates",
        arguments: [
            (0.0, "Thu, 1 Jan 1970 00:00:00 +0000"),
            (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (4_107_542_399.0, "Sun, 28 Feb 2100 23:59:59 +0000"),
            (4_107_542_400.0, "Mon, 1 Mar 2100 00:00:00 +0000"),
            (13_574_606_400.0, "Tue, 29 Feb 2400 12:00:00 +0000"),
            (-1.5, "Wed, 31 Dec 1969 23:59:58 +0000"),
            (-2_208_988_800.0, "Mon, 1 Jan 1900 00:00:00 +0000"),
            (1_795_424_400.999, "Mon, 23 Nov 2026 09:00:00 +0000"),
        ])
    func calendar(interval: Double, expected: String) throws {
        #expect(try RFC5322Date.format(Date(timeIntervalSince1970: interval), utcOffsetSeconds: 0) == expected)
    }

    @Test("agrees with a fixed-locale Gregorian formatter over 40,000 days")
    func agreesWithFormatter() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss '+0000'"
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let interval = Double(Int64.random(in: -2_000_000_000...6_000_000_000, using: &generator))
            let date = Date(timeIntervalSince1970: interval)
            #expect(try RFC5322Date.format(date, utcOffsetSeconds: 0) == formatter.string(from: date))
        }
    }

    @Test("rejects offsets that are not whole minutes or a day or more", arguments: [30, 86_400, -86_400, 3_601])
    func badOffsets(offset: Int) {
        #expect(throws: ComposeError.invalidUTCOffset(offset)) {
            try RFC5322Date.format(Fixture.date, utcOffsetSeconds: offset)
        }
    }

    @Test("rejects non-finite and out-of-range dates", arguments: [Double.nan, .infinity, -3e9, 3e11])
    func badDates(interval: Double) {
        #expect(throws: ComposeError.self) {
            try RFC5322Date.format(Date(timeIntervalSince1970: interval), utcOffsetSeconds: 0)
        }
    }
}
