import Foundation
import NurtureCore
import NurtureDaemon
import Testing

/// `/metrics` while a relay is paused: `nurture_relay_paused{relay}` is 1 and `nurture_relay_up` is 0, even when
/// the relay answered the last transfer (a 5.7.x refusal or a TLS error is an answer).
@Suite struct PrometheusTextTests {
    let start = Date(timeIntervalSince1970: 1_748_941_200)

    func sample(_ name: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
    }

    @Test func pausedRelayIsDown() {
        let metrics = DaemonMetrics()
        metrics.transferred(
            outcome: .failed, track: .marketing, seconds: 0.01, relay: "127.0.0.1:2525", answered: true, at: start)
        let snapshot = metrics.snapshot
        let pause = RelayPause(
            relay: "127.0.0.1:2525", cause: "550 at MAIL FROM", since: start, until: start.addingTimeInterval(30),
            refusals: 1)
        let paused = PrometheusText.render(snapshot, queue: nil, startedAt: start, pauses: [pause])
        #expect(sample("nurture_relay_up", in: paused) == "0")
        #expect(sample("nurture_relay_paused{relay=\"127.0.0.1:2525\"}", in: paused) == "1")
        let running = PrometheusText.render(snapshot, queue: nil, startedAt: start)
        #expect(sample("nurture_relay_up", in: running) == "1")
        #expect(!running.contains("nurture_relay_paused{"))
    }
}
