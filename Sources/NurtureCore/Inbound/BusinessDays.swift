package import Foundation

/// Business days (Monday to Friday) in a time zone, for the out-of-office pause: a lead back on a date is
/// mailed again from the start of the next business day, so the first day back is left to their own inbox.
package enum BusinessDays {
    /// The first business day strictly after `date` (Friday, Saturday and Sunday give the Monday after).
    package static func firstBusinessDay(after date: LocalDate) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        var day = noon(of: date, calendar: calendar)
        repeat {
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400)
        } while !isBusinessDay(calendar.component(.weekday, from: day))
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return LocalDate(year: parts.year ?? date.year, month: parts.month ?? 1, day: parts.day ?? 1) ?? date
    }

    /// The moment `date` begins in `zone` (its first instant: midnight, or the end of a gap that skips it).
    package static func start(of date: LocalDate, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let noonThatDay = noon(of: date, calendar: calendar)
        return calendar.startOfDay(for: noonThatDay)
    }

    /// The start, in `zone`, of the first business day after `date`.
    package static func startOfFirstBusinessDay(after date: LocalDate, in zone: TimeZone) -> Date {
        start(of: firstBusinessDay(after: date), in: zone)
    }

    /// Monday (2) to Friday (6) in Foundation's numbering (Sunday = 1).
    private static func isBusinessDay(_ weekday: Int) -> Bool {
        Weekday(rawValue: weekday).map { Weekday.workdays.contains($0) } ?? false
    }

    /// Noon of `date` in the calendar's zone: a time every day has, whatever a zone's transitions do.
    private static func noon(of date: LocalDate, calendar: Calendar) -> Date {
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: 12)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}
