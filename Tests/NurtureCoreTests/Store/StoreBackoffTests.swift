import Foundation
import NurtureCore
import Testing

@Suite("Store backoff")
struct StoreBackoffTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test("waits grow 100 ms, 200 ms, 400 ms, ... and stop at 30 s")
    func growth() {
        let backoff = StoreBackoff()
        let waits = (1...12).map { backoff.delay(afterFailure: $0) }
        let expected: [Duration] = [100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000, 30_000]
            .map { .milliseconds($0) }
        #expect(waits == expected)
        #expect(backoff.delay(afterFailure: Int.max) == .seconds(30))
    }

    @Test("each failure sets the next attempt that long after it; the store is left alone until then")
    func retryTimes() {
        var backoff = StoreBackoff()
        #expect(!backoff.isWaiting(at: start))
        _ = backoff.failed(cause: "full", at: start)
        #expect(backoff.retryAt == at(0.1))
        #expect(backoff.isWaiting(at: at(0.05)))
        #expect(!backoff.isWaiting(at: at(0.1)))
        _ = backoff.failed(cause: "full", at: at(0.1))
        #expect(abs(backoff.retryAt!.timeIntervalSince(at(0.3))) < 0.001)
        #expect(backoff.failures == 2)
        #expect(backoff.failingSince == start)
    }

    /// A loop that tries again as soon as the backoff lets it, for `seconds` of failures: how many attempts and
    /// how many log lines. Without a backoff and a limit this was ~900 lines a second.
    @Test("an hour of failures: about 130 attempts and 121 lines, not one a millisecond", arguments: [3_600.0])
    func hourOfFailures(seconds: Double) {
        var backoff = StoreBackoff()
        var now = start
        var attempts = 0
        var lines = 0
        while now < at(seconds) {
            attempts += 1
            if backoff.failed(cause: "the disk is full", at: now) != nil { lines += 1 }
            now = backoff.retryAt!
        }
        // 9 growing waits (51.1 s), then one every 30 s.
        #expect(attempts == 9 + Int(((seconds - 51.1) / 30).rounded(.up)))
        #expect(lines <= Int(seconds / 30) + 1)
        #expect(lines >= Int(seconds / 30) - 1)
    }

    @Test("the first failure is reported at once, the next ones at most once per 30 s with the count left out")
    func rateLimitedLines() {
        var backoff = StoreBackoff()
        let first = backoff.failed(cause: "disk full", at: start)
        #expect(
            first == .failing(cause: "disk full", failures: 1, since: start, unreported: 0, retryIn: .milliseconds(100))
        )
        #expect(backoff.failed(cause: "disk full", at: at(0.1)) == nil)
        #expect(backoff.failed(cause: "disk full", at: at(29.9)) == nil)
        #expect(backoff.unreported == 2)
        let later = backoff.failed(cause: "disk full", at: at(30))
        #expect(
            later == .failing(cause: "disk full", failures: 4, since: start, unreported: 2, retryIn: .milliseconds(800))
        )
        #expect(backoff.unreported == 0)
        #expect(later?.description.contains("4 failures in a row since") == true)
        #expect(later?.description.contains("2 not logged since the last line") == true)
        #expect(first?.description.contains("first failure") == true)
        #expect(first?.description.contains("next attempt in 0.1 s") == true)
    }

    @Test("a success ends the backoff and reports the recovery of a reported outage once")
    func recovery() {
        var backoff = StoreBackoff()
        #expect(backoff.succeeded(at: start) == nil, "nothing to recover from")
        _ = backoff.failed(cause: "read-only", at: start)
        _ = backoff.failed(cause: "read-only", at: at(0.1))
        let recovered = backoff.succeeded(at: at(12))
        #expect(recovered == .recovered(failures: 2, since: start, at: at(12), unreported: 1))
        #expect(
            recovered?.description.hasPrefix("the store takes writes again after 2 failed attempt(s) over 12 s") == true
        )
        #expect(!backoff.isFailing)
        #expect(backoff.retryAt == nil)
        #expect(!backoff.isWaiting(at: at(12)))
        #expect(backoff.succeeded(at: at(13)) == nil, "reported once")
        // The next failure starts over at 100 ms.
        _ = backoff.failed(cause: "read-only", at: at(100))
        #expect(abs(backoff.retryAt!.timeIntervalSince(at(100.1))) < 0.001)
    }

    @Test(
        "a store that flaps does not flood the log: an outage whose failure was not logged is not logged as recovered")
    func flapping() {
        var backoff = StoreBackoff()
        var lines = 0
        // Fails and recovers every 100 ms for a minute.
        for tick in 0..<600 {
            let now = at(Double(tick) / 10)
            if tick % 2 == 0 {
                if backoff.failed(cause: "full", at: now) != nil { lines += 1 }
            } else if backoff.succeeded(at: now) != nil {
                lines += 1
            }
        }
        #expect(lines <= 4, "\(lines) lines")
    }

    @Test("a clock set back does not silence failures forever")
    func clockSetBack() {
        var backoff = StoreBackoff()
        _ = backoff.failed(cause: "full", at: at(100))
        #expect(backoff.failed(cause: "full", at: at(10)) != nil)
    }
}
