import Foundation
import NurtureCore
import Testing

@Suite("Send window")
struct SendWindowTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let window = SendWindow(
        days: Weekday.workdays, start: TimeOfDay(hour: 9)!, end: TimeOfDay(hour: 17)!,
        holidays: [LocalDate(year: 2025, month: 12, day: 25)!])

    private func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    @Test("inside the window the moment itself is the opening")
    func inside() {
        let tuesdayNoon = date("2025-06-03T10:00:00Z")  // 12:00 in Berlin
        #expect(window.isOpen(at: tuesdayNoon, in: berlin))
        #expect(window.nextOpening(atOrAfter: tuesdayNoon, in: berlin) == tuesdayNoon)
    }

    @Test("before opening waits for 09:00 local; after closing, the next working day")
    func beforeAndAfter() {
        #expect(window.nextOpening(atOrAfter: date("2025-06-03T05:00:00Z"), in: berlin) == date("2025-06-03T07:00:00Z"))
        #expect(window.nextOpening(atOrAfter: date("2025-06-03T16:00:00Z"), in: berlin) == date("2025-06-04T07:00:00Z"))
    }

    @Test("a Friday evening waits for Monday")
    func weekend() {
        #expect(window.nextOpening(atOrAfter: date("2025-06-06T18:00:00Z"), in: berlin) == date("2025-06-09T07:00:00Z"))
    }

    @Test("holidays are skipped, in local time")
    func holiday() {
        // Wednesday 2025-12-24 after hours → Thursday 25th is a holiday → Friday 26th 09:00 CET (UTC+1).
        #expect(window.nextOpening(atOrAfter: date("2025-12-24T17:00:00Z"), in: berlin) == date("2025-12-26T08:00:00Z"))
    }

    @Test("the same instant is inside for one zone and outside for another")
    func zones() {
        let instant = date("2025-06-03T15:30:00Z")  // 17:30 Berlin, 11:30 New York
        #expect(!window.isOpen(at: instant, in: berlin))
        #expect(window.isOpen(at: instant, in: TimeZone(identifier: "America/New_York")!))
    }

    @Test("a window with no days never opens")
    func empty() {
        #expect(SendWindow(days: []).nextOpening(atOrAfter: date("2025-06-03T10:00:00Z"), in: berlin) == nil)
    }

    @Test("time-zone rule: lead, then owner, then default; unknown zones are skipped")
    func timeZoneRule() {
        #expect(
            TimeZoneRule.lead.resolve(leadZone: "Asia/Tokyo", ownerZone: "Europe/Berlin", defaultZone: "UTC")
                == "Asia/Tokyo")
        #expect(
            TimeZoneRule.lead.resolve(leadZone: nil, ownerZone: "Europe/Berlin", defaultZone: "UTC")
                == "Europe/Berlin")
        #expect(TimeZoneRule.lead.resolve(leadZone: "Mars/Olympus", ownerZone: nil, defaultZone: "UTC") == "UTC")
        #expect(TimeZoneRule.owner.resolve(leadZone: "Asia/Tokyo", ownerZone: nil, defaultZone: "UTC") == "UTC")
        #expect(
            TimeZoneRule.fixed("America/Chicago").resolve(leadZone: "Asia/Tokyo", ownerZone: nil, defaultZone: "UTC")
                == "America/Chicago")
    }

    @Test("days, times and dates parse as configuration writes them")
    func parsing() {
        #expect(Weekday.days(parsing: "mon-fri") == Weekday.workdays)
        #expect(Weekday.days(parsing: "fri-mon") == [.friday, .saturday, .sunday, .monday])
        #expect(Weekday.days(parsing: "Tuesday") == [.tuesday])
        #expect(Weekday.days(parsing: "funday") == nil)
        #expect(TimeOfDay(parsing: "09:30") == TimeOfDay(hour: 9, minute: 30))
        #expect(TimeOfDay(parsing: "24:00") != nil)
        #expect(TimeOfDay(parsing: "25:00") == nil)
        #expect(TimeOfDay(parsing: "9") == nil)
        #expect(LocalDate(parsing: "2024-02-29") != nil)
        #expect(LocalDate(parsing: "2025-02-29") == nil)
        #expect(LocalDate(parsing: "2025-12-25")?.description == "2025-12-25")
    }
}
