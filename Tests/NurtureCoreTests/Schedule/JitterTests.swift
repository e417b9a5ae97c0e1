import Foundation
import NurtureCore
import Testing

@Suite("Jitter")
struct JitterTests {
    @Test("offsets stay within 0...maximum and spread over it")
    func bounds() {
        var generator = ScheduleTestGenerator(seed: 42)
        let jitter = Jitter(maximum: .seconds(240))
        let offsets = (0..<2_000).map { _ in jitter.offset(using: &generator) }
        #expect(offsets.allSatisfy { $0 >= .zero && $0 <= .seconds(240) })
        #expect(offsets.contains { $0 < .seconds(24) })
        #expect(offsets.contains { $0 > .seconds(216) })
    }

    @Test("the same seed gives the same offsets")
    func deterministic() {
        var first = ScheduleTestGenerator(seed: 7)
        var second = ScheduleTestGenerator(seed: 7)
        let jitter = Jitter(maximum: .seconds(240))
        #expect(
            (0..<10).map { _ in jitter.offset(using: &first) } == (0..<10).map { _ in jitter.offset(using: &second) })
    }

    @Test("zero maximum means no offset; marketing gets none, sales 4 minutes by default")
    func none() {
        var generator = ScheduleTestGenerator(seed: 1)
        #expect(Jitter().offset(using: &generator) == .zero)
        #expect(Jitter(maximum: .seconds(-5)).offset(using: &generator) == .zero)
        let policy = SchedulingPolicy()
        #expect(policy.jitter(for: .marketing) == .none)
        #expect(policy.jitter(for: .sales).maximum == .seconds(240))
    }
}
