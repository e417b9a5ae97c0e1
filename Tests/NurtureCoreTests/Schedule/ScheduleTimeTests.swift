import Foundation
import NurtureCore
import Testing

@Suite("Schedule time")
struct ScheduleTimeTests {
    @Test(
        "durations read at a glance",
        arguments: [
            (0, "0s"), (20, "20s"), (80, "1m 20s"), (2_700, "45m"), (5_400, "1h 30m"), (183_600, "2d 3h"),
            (172_860, "2d"), (432_000, "5d"),
        ])
    func describe(seconds: Int, text: String) {
        #expect(ScheduleTime.describe(.seconds(seconds)) == text)
    }

    @Test("date and duration arithmetic round-trips")
    func arithmetic() {
        let later = ScheduleTime.date(ScheduleFixtures.due, plus: .milliseconds(90_500))
        #expect(ScheduleTime.duration(from: ScheduleFixtures.due, to: later) == .milliseconds(90_500))
        #expect(ScheduleTime.duration(from: later, to: ScheduleFixtures.due) == .milliseconds(-90_500))
    }
}
