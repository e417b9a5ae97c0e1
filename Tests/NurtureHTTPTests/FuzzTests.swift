import Foundation
import HTTPTypes
import NurtureConfig
import NurtureCore
import Testing

@testable import NurtureHTTP

/// Schema-aware fuzzing of the JSON endpoints' checks: every input is accepted or refused with a 4xx naming
/// the problem; none crashes. The count is printed for the record.
@Suite struct FuzzTests {
    @Test("20,000 generated bodies through the intake and event checks: only values or 4xx errors")
    func pureChecks() throws {
        var fuzzer = JSONFuzzer(seed: 20_261_123)
        var accepted = 0
        var refused: [Int: Int] = [:]
        let count = 20_000
        for index in 0..<count {
            let body = fuzzer.body()
            do {
                if index.isMultiple(of: 2) {
                    _ = try LeadRequests.intake(body)
                } else {
                    _ = try LeadRequests.event(body)
                }
                accepted += 1
            } catch {
                let status = Int(error.status.code)
                refused[status, default: 0] += 1
                #expect(
                    (400..<500).contains(status), "\(error) for \(String(decoding: body, as: UTF8.self).prefix(200))")
                #expect(!error.message.isEmpty)
            }
        }
        print(
            "fuzz (checks): \(count) inputs, 0 crashes; accepted \(accepted), refused \(refused.sorted { $0.key < $1.key })"
        )
        #expect(accepted > 0, "the generator also makes valid bodies")
        #expect(refused.values.reduce(0, +) + accepted == count)
    }
}
