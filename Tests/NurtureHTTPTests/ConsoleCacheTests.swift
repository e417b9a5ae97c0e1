import Foundation
import Synchronization
import Testing

@testable import NurtureHTTP

/// The overview's kept figures: read once, kept for the lifetime, then served as they are while one refresh runs
/// in the background, and read again before answering once older than the patience.
@Suite struct ConsoleCacheTests {
    /// A fetch that returns how many times it ran.
    final class Counter: Sendable {
        let runs = Mutex(0)
        func fetch() async throws -> Int {
            runs.withLock {
                $0 += 1; return $0
            }
        }
        var count: Int { runs.withLock { $0 } }
    }

    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aValueIsKeptThenRefreshedInTheBackground() async throws {
        let cache = ConsoleCache<Int>(lifetime: 10, patience: 60)
        let counter = Counter()
        #expect(cache.keptAt == nil)
        #expect(try await cache.value(now: t0, fetch: counter.fetch) == 1, "the first page waits for the read")
        #expect(try await cache.value(now: t0.addingTimeInterval(9), fetch: counter.fetch) == 1)
        #expect(counter.count == 1, "kept for its lifetime")
        #expect(
            try await cache.value(now: t0.addingTimeInterval(20), fetch: counter.fetch) == 1,
            "stale: served as it is")
        for _ in 0..<200 where counter.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(counter.count == 2, "one refresh ran in the background")
        #expect(try await cache.value(now: t0.addingTimeInterval(21), fetch: counter.fetch) == 2)
        #expect(counter.count == 2)
        #expect(cache.keptAt == t0.addingTimeInterval(20), "when the kept value was read")
    }

    @Test func aValueOlderThanThePatienceIsReadAgainBeforeAnswering() async throws {
        let cache = ConsoleCache<Int>(lifetime: 10, patience: 60)
        let counter = Counter()
        _ = try await cache.value(now: t0, fetch: counter.fetch)
        #expect(try await cache.value(now: t0.addingTimeInterval(61), fetch: counter.fetch) == 2)
        #expect(counter.count == 2)
    }

    @Test func aFailedFirstReadIsAnErrorAndNothingIsKept() async throws {
        struct Refused: Error {}
        let cache = ConsoleCache<Int>(lifetime: 10, patience: 60)
        await #expect(throws: Refused.self) { try await cache.value(now: t0) { throw Refused() } }
        let counter = Counter()
        #expect(try await cache.value(now: t0, fetch: counter.fetch) == 1)
    }
}
