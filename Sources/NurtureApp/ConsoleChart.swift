package import Foundation
package import NurtureCore

/// The overview's chart: attempts per hour over the last days, one stacked bar per hour, coloured by track and
/// outcome, as an inline SVG. Pure: the counts and the end of the range come in, the markup goes out. It holds
/// only numbers and fixed labels (no stored text), and its colours are classes styled by the console's CSS, so the
/// page needs no inline style.
package enum ConsoleChart {
    /// One coloured part of the chart: a track and the state its attempts ended in.
    package struct Series: Sendable, Hashable {
        package var track: Track
        package var state: SendState
        /// The CSS class, e.g. `s-marketing-sent`.
        package var cssClass: String { "s-\(track.rawValue)-\(state.rawValue)" }
        /// The legend's label, e.g. `marketing sent`.
        package var label: String { "\(track.rawValue) \(state.rawValue)" }
    }

    /// The parts, stacked bottom to top in this order.
    package static let series: [Series] = Track.allCases.flatMap { track in
        [SendState.sent, .deferred, .failed, .unknown].map { Series(track: track, state: $0) }
    }

    /// The hour buckets of the range: `hours` buckets ending with the one that holds `now`.
    package static func hours(endingAt now: Date, hours: Int) -> [Date] {
        let hour = 3_600.0
        let last = (now.timeIntervalSince1970 / hour).rounded(.down) * hour
        return (0..<hours).map { Date(timeIntervalSince1970: last - Double(hours - 1 - $0) * hour) }
    }

    /// The SVG (`role="img"`, with a title) of `counts` over the `hours` hours ending at `now` (7 days by default).
    package static func svg(_ counts: [HourlyCount], now: Date, hours: Int = 168) -> String {
        let buckets = Self.hours(endingAt: now, hours: hours)
        let formatter = ISO8601DateFormatter()
        var byHour: [Date: [Series: Int]] = [:]
        for count in counts {
            byHour[count.hour, default: [:]][Series(track: count.track, state: count.state)] = count.count
        }
        let totals = buckets.map { hour in byHour[hour]?.values.reduce(0, +) ?? 0 }
        let peak = max(totals.max() ?? 0, 1)
        let (width, height, barWidth) = (hours * 4, 120, 3)
        var parts: [String] = []
        for (index, hour) in buckets.enumerated() {
            var y = Double(height)
            for part in series {
                guard let value = byHour[hour]?[part], value > 0 else { continue }
                let barHeight = Double(value) / Double(peak) * Double(height)
                y -= barHeight
                parts.append(
                    "<rect class=\"\(part.cssClass)\" x=\"\(index * 4)\" y=\"\(format(y))\" width=\"\(barWidth)\""
                        + " height=\"\(format(barHeight))\"><title>\(formatter.string(from: hour))"
                        + " \(part.label): \(value)</title></rect>")
            }
        }
        let total = totals.reduce(0, +)
        return "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\""
            + " preserveAspectRatio=\"none\"><title>Attempts per hour, last \(hours / 24) days: \(total) in all, at"
            + " most \(peak == 1 && total == 0 ? 0 : peak) in one hour</title>" + parts.joined() + "</svg>"
    }

    /// One decimal at most.
    private static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
