/// Reads and writes step delays as configuration spells them: `0`, `30m`, `12h`, `3d`, `2w`.
public enum DelayText {
    /// Parses a whole number followed by `m` (minutes), `h` (hours), `d` (days) or `w` (weeks); or `0`.
    /// Returns `nil` for anything else, including negative numbers.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed == "0" { return .zero }
        guard let unit = trimmed.last, let count = Int(trimmed.dropLast()), count >= 0,
            trimmed.dropLast().allSatisfy(\.isASCII)
        else { return nil }
        let seconds: Int
        switch unit {
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: seconds)
        return overflow ? nil : .seconds(total)
    }

    /// The shortest exact spelling of a duration in whole minutes, e.g. `3d`; seconds are rounded down.
    public static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds == 0 { return "0" }
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds / 60)m"
    }
}
