import Foundation

/// Reads an RFC 5322 `Date` value leniently (optional weekday and seconds, two- or four-digit years, the obsolete
/// zone names), and does the day arithmetic the return-date reader needs. No formatter, no locale.
enum MailDateReader {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420,
        "mdt": -360, "pst": -480, "pdt": -420,
    ]

    /// The instant `value` names, or `nil` when it does not parse.
    static func date(_ value: String) -> Date? {
        var tokens = value.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            .map(String.init)
        if let first = tokens.first, first.first?.isLetter == true { tokens.removeFirst() }
        guard tokens.count >= 4, let day = Int(tokens[0]),
            let month = months.firstIndex(of: String(tokens[1].prefix(3))), var year = Int(tokens[2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        let clock = tokens[3].split(separator: ":").map { Int($0) }
        guard clock.count >= 2, clock.allSatisfy({ $0 != nil }),
            let local = LocalDate(year: year, month: month + 1, day: day)
        else { return nil }
        let hour = clock[0] ?? 0
        let minute = clock[1] ?? 0
        let second = clock.count > 2 ? clock[2] ?? 0 : 0
        guard hour < 24, minute < 60, second < 61 else { return nil }
        var offsetMinutes = 0
        if tokens.count > 4 { offsetMinutes = zone(tokens[4]) ?? 0 }
        let seconds = days(local) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func days(_ date: LocalDate) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let monthIndex = date.month > 2 ? date.month - 3 : date.month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `count` days after `date`.
    static func adding(_ count: Int, to date: LocalDate) -> LocalDate {
        let (year, month, day) = RFC5322Date.civil(fromDays: days(date) + count)
        return LocalDate(year: year, month: month, day: day) ?? date
    }

    /// 0 for Sunday ... 6 for Saturday.
    static func weekday(_ date: LocalDate) -> Int { ((days(date) % 7) + 7 + 4) % 7 }

    /// The UTC calendar day of `instant`.
    static func utcDay(_ instant: Date) -> LocalDate {
        let interval = instant.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 100_000_000_000 else {
            return LocalDate(year: 1970, month: 1, day: 1)!
        }
        let seconds = Int(interval.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let (year, month, day) = RFC5322Date.civil(fromDays: days)
        return LocalDate(year: year, month: month, day: day) ?? LocalDate(year: 1970, month: 1, day: 1)!
    }

    /// `+0100` / `-0530` / a zone name, in minutes east of UTC.
    private static func zone(_ token: String) -> Int? {
        if let named = zones[token] { return named }
        guard token.count == 5, let sign = token.first, sign == "+" || sign == "-",
            let value = Int(token.dropFirst())
        else { return nil }
        let minutes = value / 100 * 60 + value % 100
        return sign == "-" ? -minutes : minutes
    }
}
