import Foundation

/// A day of the week, numbered as Foundation's Gregorian calendar does (Sunday = 1).
package enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case sunday = 1, monday, tuesday, wednesday, thursday, friday, saturday

    /// The three-letter name used in configuration: `mon`, `tue`, ...
    package var description: String {
        switch self {
        case .sunday: return "sun"
        case .monday: return "mon"
        case .tuesday: return "tue"
        case .wednesday: return "wed"
        case .thursday: return "thu"
        case .friday: return "fri"
        case .saturday: return "sat"
        }
    }

    /// Parses `mon` or `monday` (any case).
    package init?(name: String) {
        let lowered = name.lowercased()
        guard let day = Weekday.allCases.first(where: { $0.description == lowered || $0.fullName == lowered })
        else { return nil }
        self = day
    }

    /// Monday to Friday.
    package static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    /// Parses a day (`mon`) or an inclusive range (`mon-fri`, wrapping past Sunday when needed).
    package static func days(parsing text: String) -> Set<Weekday>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count <= 2, let first = Weekday(name: parts[0]) else { return nil }
        guard parts.count == 2 else { return [first] }
        guard let last = Weekday(name: parts[1]) else { return nil }
        var days: Set<Weekday> = [first]
        var day = first
        while day != last {
            day = Weekday(rawValue: day.rawValue % 7 + 1)!
            days.insert(day)
        }
        return days
    }

    /// Orders days Monday first, as people read a week.
    package static func < (lhs: Weekday, rhs: Weekday) -> Bool {
        (lhs.rawValue + 5) % 7 < (rhs.rawValue + 5) % 7
    }

    private var fullName: String {
        switch self {
        case .sunday: return "sunday"
        case .monday: return "monday"
        case .tuesday: return "tuesday"
        case .wednesday: return "wednesday"
        case .thursday: return "thursday"
        case .friday: return "friday"
        case .saturday: return "saturday"
        }
    }
}
