import Foundation

/// The `Date` header value (RFC 5322 section 3.3), computed with proleptic Gregorian arithmetic: no
/// formatter, no locale, no time-zone database.
enum RFC5322Date {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mon, 23 Nov 2026 09:00:00 +0000` for `date` seen at `utcOffsetSeconds` east of UTC.
    /// Fractions of a second are dropped (rounded towards the past).
    static func format(_ date: Date, utcOffsetSeconds: Int) throws(ComposeError) -> String {
        guard utcOffsetSeconds % 60 == 0, abs(utcOffsetSeconds) < 86_400 else {
            throw .invalidUTCOffset(utcOffsetSeconds)
        }
        let interval = date.timeIntervalSince1970
        // Year 1900 starts at -2208988800; 10000 at 253402300800.
        guard interval.isFinite, interval >= -2_208_988_800 - 86_400, interval < 253_402_300_800 + 86_400 else {
            throw .dateOutOfRange("its time stamp \(interval) is outside the supported range")
        }
        let local = Int(interval.rounded(.down)) + utcOffsetSeconds
        let days = floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        guard (1900...9999).contains(year) else { throw .dateOutOfRange("its local year \(year) is out of range") }
        let weekday = weekdays[((days % 7) + 7 + 4) % 7]
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let offsetMinutes = abs(utcOffsetSeconds) / 60
        return "\(weekday), \(day) \(months[month - 1]) \(year) "
            + "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) "
            + "\(sign)\(pad(offsetMinutes / 60))\(pad(offsetMinutes % 60))"
    }

    /// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month 1-12, day 1-31).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
