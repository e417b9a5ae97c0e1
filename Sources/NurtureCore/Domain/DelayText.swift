/// Reads and writes step delays as configuration spells them: `0`, `45s`, `30m`, `12h`, `3d`, `2w`
/// (seconds are for demos and tests; real sequences use minutes and up).
package enum DelayText {
    /// Parses a whole number followed by `s` (seconds), `m` (minutes), `h` (hours), `d` (days) or `w` (weeks); or `0`.
    /// Returns `nil` for anything else, including negative numbers.
    package static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed == "0" { return .zero }
        guard let unit = trimmed.last, let count = Int(trimmed.dropLast()), count >= 0,
            trimmed.dropLast().allSatisfy(\.isASCII)
        else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: seconds)
        return overflow ? nil : .seconds(total)
    }

    /// The shortest exact spelling of a duration in whole seconds, e.g. `3d`, `90s`; fractions are dropped.
    package static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds == 0 { return "0" }
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }
}
