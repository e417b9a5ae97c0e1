import Foundation
import NurtureCore
internal import Yams

/// `defaults:` (time zone, window, limits), send windows, and `options:`.
extension ConfigParser {
    static let windowKeys = ["days", "hours", "holidays", "time_zone"]

    func defaultsSection(_ fields: Fields) -> NurtureConfiguration.Defaults? {
        let zone = diagnostics.timeZone(fields, "time_zone", required: true)
        var window = SendWindow()
        var windowOK = true
        if let node = fields["window"] {
            if let parsed = sendWindow(node, path: fields.path("window"), base: SendWindow()) {
                window = parsed
            } else {
                windowOK = false
            }
        }
        var limits = SendLimits()
        var limitsOK = true
        if let node = fields["limits"] {
            let allowed = ["salesperson_daily", "marketing_daily", "per_lead_min_gap"]
            if let limitFields = diagnostics.fields(node, path: fields.path("limits"), allowed: allowed) {
                let before = diagnostics.problems.count
                if let value = diagnostics.integer(limitFields, "salesperson_daily", in: 1...Int.max) {
                    limits.salespersonPerDay = value
                }
                limits.marketingPerDay = diagnostics.integer(limitFields, "marketing_daily", in: 1...Int.max)
                if let gap = delay(limitFields, "per_lead_min_gap") { limits.perLeadMinimumGap = gap }
                limitsOK = diagnostics.problems.count == before
            } else {
                limitsOK = false
            }
        }
        guard let zone, windowOK, limitsOK else { return nil }
        return NurtureConfiguration.Defaults(timeZone: zone, window: window, limits: limits)
    }

    /// A send window; keys not written keep `base`'s values (the defaults' window for sequences).
    func sendWindow(_ node: Node, path: String, base: SendWindow) -> SendWindow? {
        guard let fields = diagnostics.fields(node, path: path, allowed: Self.windowKeys) else { return nil }
        let before = diagnostics.problems.count
        var window = base
        if let items = diagnostics.list(fields, "days", allowSingle: true) {
            var days: Set<Weekday> = []
            var unreadable = false
            for item in items {
                guard let text = diagnostics.text(item.node, path: item.path, example: "mon-fri") else {
                    unreadable = true
                    continue
                }
                for part in text.split(separator: ",") {
                    if let parsed = Weekday.days(parsing: String(part)) {
                        days.formUnion(parsed)
                    } else {
                        unreadable = true
                        diagnostics.report(
                            item.node, item.path, "`\(part)` is not a day or range of days",
                            fix: "write days as mon, tue, wed, thu, fri, sat, sun, or a range such as mon-fri")
                    }
                }
            }
            if days.isEmpty, !unreadable {
                diagnostics.report(
                    fields["days"], fields.path("days"), "no day is allowed, so nothing would ever be sent",
                    fix: "list at least one day, e.g. mon-fri")
            }
            window.days = days
        }
        if let text = diagnostics.text(fields, "hours", example: "09:00-17:00") {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if parts.count == 2, let start = TimeOfDay(parsing: parts[0]), let end = TimeOfDay(parsing: parts[1]) {
                if start < end {
                    window.start = start
                    window.end = end
                } else {
                    diagnostics.report(
                        fields["hours"], fields.path("hours"), "the window `\(text)` ends before it starts",
                        fix: "write the earlier time first, e.g. 09:00-17:00 (windows cannot span midnight)")
                }
            } else {
                diagnostics.report(
                    fields["hours"], fields.path("hours"), "`\(text)` is not a range of hours",
                    fix: "write HH:MM-HH:MM in 24-hour time, e.g. \"09:00-17:00\"")
            }
        }
        if let items = diagnostics.list(fields, "holidays") {
            var holidays: Set<LocalDate> = []
            for item in items {
                guard let text = diagnostics.text(item.node, path: item.path, example: "2025-12-25") else { continue }
                if let date = LocalDate(parsing: text) {
                    holidays.insert(date)
                } else {
                    diagnostics.report(
                        item.node, item.path, "`\(text)` is not a date",
                        fix: "write dates as YYYY-MM-DD, e.g. 2025-12-25")
                }
            }
            window.holidays = holidays
        }
        if let text = diagnostics.text(fields, "time_zone", example: "lead") {
            switch text {
            case "lead": window.timeZoneRule = .lead
            case "owner": window.timeZoneRule = .owner
            default:
                if TimeZone(identifier: text) != nil {
                    window.timeZoneRule = .fixed(text)
                } else {
                    diagnostics.report(
                        fields["time_zone"], fields.path("time_zone"),
                        "`\(text)` is not `lead`, `owner` or an IANA time zone",
                        fix: "write `lead` (lead's zone, then owner's, then the default), `owner`, or a zone such as"
                            + " Europe/Berlin")
                }
            }
        }
        return diagnostics.problems.count == before ? window : nil
    }

    /// A delay such as `3d`.
    func delay(_ fields: Fields, _ key: String, required: Bool = false) -> Duration? {
        guard let text = diagnostics.text(fields, key, required: required, example: "3d") else { return nil }
        guard let value = DelayText.parse(text) else {
            diagnostics.report(
                fields[key], fields.path(key), "`\(text)` is not a delay",
                fix: "write a whole number and a unit: 30m, 12h, 3d or 2w (or 0 for no delay)")
            return nil
        }
        return value
    }

    /// The `options:` section's values, with defaults for what it does not say.
    struct ParsedOptions {
        var autoQualify = true
        var roundRobin = false
        var pool: [(id: String, node: Node)]?
    }

    func optionsSection(_ top: Fields) -> ParsedOptions {
        var options = ParsedOptions()
        guard let node = top["options"],
            let fields = diagnostics.fields(
                node, path: "options", allowed: ["auto_qualify", "round_robin", "round_robin_pool"])
        else { return options }
        options.autoQualify = diagnostics.boolean(fields, "auto_qualify") ?? true
        options.roundRobin = diagnostics.boolean(fields, "round_robin") ?? false
        if let items = diagnostics.list(fields, "round_robin_pool") {
            options.pool = items.compactMap { item in
                diagnostics.text(item.node, path: item.path, example: "priya").map { ($0, item.node) }
            }
        }
        return options
    }
}
