import Foundation
import NurtureCore
import NurtureSMTP
import Prometheus
import Testing

@testable import NurtureMetrics

/// `/metrics` while a relay is paused: `nurture_relay_paused{relay}` is 1 and `nurture_relay_up` is 0, even when
/// the relay answered the last transfer (a 5.7.x refusal or a TLS error is an answer).
@Suite struct PrometheusTextTests {
    let start = Date(timeIntervalSince1970: 1_748_941_200)

    func sample(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
    }

    @Test func pausedRelayIsDown() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.transferred(
            outcome: .failed, track: .marketing, seconds: 0.01, relay: "127.0.0.1:2525", answered: true, at: start)
        let pause = RelayPause(
            relay: "127.0.0.1:2525", cause: "550 at MAIL FROM", since: start, until: start.addingTimeInterval(30),
            refusals: 1)
        let paused = PrometheusText.render(metrics, queue: nil, startedAt: start, pauses: [pause])
        #expect(sample("nurture_relay_up", in: paused) == 0)
        #expect(sample("nurture_relay_paused{relay=\"127.0.0.1:2525\"}", in: paused) == 1)
        let running = PrometheusText.render(metrics, queue: nil, startedAt: start)
        #expect(sample("nurture_relay_up", in: running) == 1)
        #expect(!running.contains("nurture_relay_paused{"))
    }

    @Test func beforeAnyTransferRelayUpIsNaNAndUnreadableQueueIsNaN() throws {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let text = PrometheusText.render(metrics, queue: nil, startedAt: start)
        #expect(try #require(sample("nurture_relay_up", in: text)).isNaN)
        #expect(try #require(sample("nurture_queue_sends{state=\"planned\"}", in: text)).isNaN)
        #expect(sample("nurture_start_time_seconds", in: text) == 1_748_941_200)
        #expect(sample("nurture_last_reload_success", in: text) == 1)
        #expect(!text.contains("nurture_last_reload_timestamp_seconds"))
    }

    @Test func eachDaemonHasItsOwnRegistry() {
        let first = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let second = DaemonMetrics(registry: PrometheusCollectorRegistry())
        first.reloaded(succeeded: true, at: start)
        #expect(sample("nurture_reloads_total", in: PrometheusText.render(first, queue: [:], startedAt: start)) == 1)
        #expect(sample("nurture_reloads_total", in: PrometheusText.render(second, queue: [:], startedAt: start)) == 0)
    }
}
