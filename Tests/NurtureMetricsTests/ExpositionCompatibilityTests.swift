import Foundation
import NurtureCore
import NurtureMetrics
import NurtureSMTP
import Prometheus
import Testing

/// `/metrics` kept its interface when it moved to swift-metrics and swift-prometheus: the same events give the
/// same families (names, types, HELP text), the same label names, and every series the old renderer showed
/// with the same value. The new one also shows the per-send series at zero before their first event.
@Suite struct ExpositionCompatibilityTests {
    let start = Date(timeIntervalSince1970: 1_748_941_200)
    let at = Date(timeIntervalSince1970: 1_748_941_260)

    func entry(_ state: SendState, hold: HoldReason? = nil) throws -> SendLogEntry {
        SendLogEntry(
            at: at, sendID: 1, leadEmail: try EmailAddress("dana@example.com"), sequence: "welcome", step: "day-0",
            messageID: "<1@acme.example>", state: state, attempt: 1, detail: hold?.description,
            recipientDomain: "example.com", reasonKind: hold?.kind)
    }

    /// The events the legacy vector was rendered from.
    func exposition() throws -> String {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.recorded(try entry(.sent), track: .marketing)
        metrics.recorded(try entry(.sent), track: .marketing)
        metrics.recorded(try entry(.deferred), track: .sales)
        metrics.recorded(try entry(.held, hold: .rateLimit("rate limit: 10 per hour")), track: nil)
        metrics.recorded(
            try entry(.held, hold: .outsideWindow(sequence: "welcome", nextOpening: "09:00")), track: .sales)
        let relay = "127.0.0.1:2525"
        metrics.transferred(outcome: .accepted, track: .marketing, seconds: 0.02, relay: relay, answered: true, at: at)
        metrics.transferred(outcome: .accepted, track: .marketing, seconds: 1.5, relay: relay, answered: true, at: at)
        metrics.transferred(outcome: .failed, track: .sales, seconds: 0.3, relay: relay, answered: true, at: at)
        metrics.reloaded(succeeded: false, at: at)
        metrics.request(route: "intake", status: 201)
        metrics.request(route: "metrics", status: 200)
        let pause = RelayPause(
            relay: relay, cause: "550 at MAIL FROM", since: start, until: start.addingTimeInterval(30), refusals: 1)
        return PrometheusText.render(
            metrics, queue: [.planned: 3, .held: 1], startedAt: start, pauses: [pause])
    }

    @Test func sameFamiliesTypesAndHelp() throws {
        let old = Exposition(LegacyExposition.text)
        let new = Exposition(try exposition())
        #expect(new.types == old.types)
        #expect(new.help == old.help)
        #expect(Set(new.types.keys) == Set(MetricFamily.all.map(\.name)))
        for family in MetricFamily.all {
            #expect(new.types[family.name] == family.kind.rawValue)
            #expect(new.help[family.name] == family.help)
        }
    }

    @Test func sameLabelNames() throws {
        let old = Exposition(LegacyExposition.text)
        let new = Exposition(try exposition())
        #expect(new.labelNames == old.labelNames)
    }

    @Test func everyOldSeriesHasItsValue() throws {
        let old = Exposition(LegacyExposition.text)
        let new = Exposition(try exposition())
        #expect(old.samples.count == 58)
        for (series, value) in old.samples {
            #expect(new.samples[series] == value, "\(series)")
        }
        // The only new series are the per-send ones made at zero before their first event.
        let added = new.samples.filter { old.samples[$0.key] == nil }
        #expect(added.values.allSatisfy { $0 == 0 })
        #expect(
            added.keys.allSatisfy { $0.hasPrefix("nurture_sends_total{") || $0.hasPrefix("nurture_delivery_seconds_") })
        // 9 states × (marketing, sales, unknown), less the 4 recorded; 5 outcomes × 2 tracks, less the 2 recorded.
        #expect(added.keys.filter { $0.hasPrefix("nurture_sends_total{") }.count == 27 - 4)
        #expect(added.keys.filter { $0.hasPrefix("nurture_delivery_seconds_count{") }.count == 10 - 2)
    }

    @Test func everySampleLineIsWellFormed() throws {
        let text = try exposition()
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let value = String(line.split(separator: " ").last ?? "")
            #expect(Double(value) != nil, "\(line)")
        }
    }
}
