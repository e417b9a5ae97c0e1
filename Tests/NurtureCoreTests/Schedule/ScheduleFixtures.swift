import Foundation

/// Fixed instants and a deterministic generator for the scheduling tests.
enum ScheduleFixtures {
    /// 2025-06-03T09:00:00Z.
    static let due = Date(timeIntervalSince1970: 1_748_941_200)

    static func minutes(_ count: Int) -> Duration { .seconds(count * 60) }

    static func after(_ duration: Duration, _ date: Date = due) -> Date {
        let (seconds, attoseconds) = duration.components
        return date.addingTimeInterval(TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }
}

/// SplitMix64: a tiny seeded generator, so random tests repeat exactly.
struct ScheduleTestGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
