package import Foundation

/// When mail may go out: days of the week, hours of the day, holidays, read in a time zone chosen per lead.
package struct SendWindow: Sendable, Hashable {
    /// The days mail may go out.
    package var days: Set<Weekday>
    /// The first minute mail may go out, local time.
    package var start: TimeOfDay
    /// The end of the window (exclusive), local time; after ``start``.
    package var end: TimeOfDay
    /// Dates on which nothing is sent, local time.
    package var holidays: Set<LocalDate>
    /// Whose time zone the window is read in.
    package var timeZoneRule: TimeZoneRule

    /// Makes a window; ``start`` must be before ``end`` (the configuration checks this).
    package init(
        days: Set<Weekday> = Weekday.workdays, start: TimeOfDay = TimeOfDay(hour: 9)!,
        end: TimeOfDay = TimeOfDay(hour: 17)!, holidays: Set<LocalDate> = [], timeZoneRule: TimeZoneRule = .lead
    ) {
        self.days = days
        self.start = start
        self.end = end
        self.holidays = holidays
        self.timeZoneRule = timeZoneRule
    }

    /// Whether `date` falls inside the window in `timeZone`.
    package func isOpen(at date: Date, in timeZone: TimeZone) -> Bool {
        nextOpening(atOrAfter: date, in: timeZone) == date
    }

    /// The earliest moment at or after `date` inside the window, or `nil` when the window never opens
    /// (no days, or start not before end) within the coming 400 days.
    package func nextOpening(atOrAfter date: Date, in timeZone: TimeZone) -> Date? {
        guard !days.isEmpty, start < end else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.dateComponents([.year, .month, .day], from: date)
        guard let midnight = calendar.date(from: today) else { return nil }
        for offset in 0..<400 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: midnight) else { return nil }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let weekday = parts.weekday.flatMap(Weekday.init(rawValue:)), days.contains(weekday),
                let year = parts.year, let month = parts.month, let dayOfMonth = parts.day
            else { continue }
            if let local = LocalDate(year: year, month: month, day: dayOfMonth), holidays.contains(local) { continue }
            guard let opens = moment(start, on: parts, calendar: calendar),
                let closes = moment(end, on: parts, calendar: calendar)
            else { continue }
            let candidate = max(opens, date)
            if candidate < closes { return candidate }
        }
        return nil
    }

    private func moment(_ time: TimeOfDay, on day: DateComponents, calendar: Calendar) -> Date? {
        var parts = DateComponents(year: day.year, month: day.month, day: day.day, hour: 0, minute: 0)
        guard let midnight = calendar.date(from: parts) else { return nil }
        if time.hour == 24 { return calendar.date(byAdding: .day, value: 1, to: midnight) }
        parts.hour = time.hour
        parts.minute = time.minute
        return calendar.date(from: parts)
    }
}
