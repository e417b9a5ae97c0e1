package import Foundation

/// A relay that refused at the relay level (the sender, the login, the session, policy, TLS or login
/// settings): sends through it wait until ``until``, then one send probes it; an accepted probe ends the pause.
package struct RelayPause: Sendable, Hashable, Codable {
    /// The relay as `host:port` (`user@host:port` when it logs in): the key, and the `relay` label in metrics.
    package var relay: String
    /// The refusal that started or last extended the pause, e.g.
    /// `550 5.3.0 Error: command failed at MAIL FROM: the relay refused the sender`.
    package var cause: String
    /// When the first refusal of this pause came.
    package var since: Date
    /// When the next probe may go.
    package var until: Date
    /// Relay-level refusals in a row (the first, then each failed probe): the backoff doubles with each.
    package var refusals: Int
    /// When a probe was handed to the relay and its outcome is not known yet; `nil` when none is out.
    package var probeSince: Date?

    /// Makes a pause.
    package init(relay: String, cause: String, since: Date, until: Date, refusals: Int, probeSince: Date? = nil) {
        self.relay = relay
        self.cause = cause
        self.since = since
        self.until = until
        self.refusals = refusals
        self.probeSince = probeSince
    }

    /// The reason a held send carries: `relay 127.0.0.1:2525 refused: 550 5.3.0 ... at MAIL FROM ...; paused
    /// until 2026-11-24T15:00:30Z, retrying with backoff`.
    package var holdReason: String {
        "relay \(relay) refused: \(cause); paused until \(ScheduleTime.describe(until)), retrying with backoff"
    }
}

/// Decides when sends through a paused relay may go again. Pure: the current pause and time come in, the next
/// pause or verdict goes out.
///
/// The first relay-level refusal pauses the relay for ``firstDelay``; each refused probe doubles the wait up to
/// ``maxDelay`` (with the defaults: 30 s, 1 m, 2 m, 4 m, 8 m, 15 m, 15 m, ...). After the wait, one send goes
/// as a probe while the others wait ``probeWait`` at a time; an accepted send ends the pause.
package struct RelayPausePolicy: Sendable, Hashable {
    /// The pause after the first refusal.
    package var firstDelay: Duration
    /// The longest pause between two probes.
    package var maxDelay: Duration
    /// How long other sends wait while a probe is out before they look again.
    package var probeWait: Duration

    /// Makes a policy (defaults: 30 seconds doubling to 15 minutes; 10 seconds while a probe is out).
    package init(
        firstDelay: Duration = .seconds(30), maxDelay: Duration = .seconds(900), probeWait: Duration = .seconds(10)
    ) {
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.probeWait = probeWait
    }

    /// What a send through a relay may do.
    package enum Admission: Sendable, Hashable {
        /// The relay is not paused: send.
        case send
        /// The pause is over: this send is the probe (record ``probing(_:now:)`` before it goes).
        case probe
        /// Hold the send until then, with the pause's reason.
        case hold(until: Date, reason: String)
    }

    /// The wait after `refusals` refusals in a row (1-based; values below 1 count as 1).
    package func delay(afterRefusals refusals: Int) -> Duration {
        RetryPolicy(firstDelay: firstDelay, maxDelay: maxDelay).delay(afterAttempt: refusals)
    }

    /// Whether a send through a relay paused as `pause` (or not paused, `nil`) may go at `now`.
    package func admit(_ pause: RelayPause?, now: Date) -> Admission {
        guard let pause else { return .send }
        if now < pause.until { return .hold(until: pause.until, reason: pause.holdReason) }
        if let probeSince = pause.probeSince {
            // A probe is out; a probe whose outcome never came (the daemon lost it) is replaced after a while.
            let stale = ScheduleTime.date(probeSince, plus: max(maxDelay, probeWait))
            if now < stale {
                return .hold(
                    until: ScheduleTime.date(now, plus: probeWait),
                    reason: "relay \(pause.relay) refused: \(pause.cause); a probe send is out, waiting for its reply")
            }
        }
        return .probe
    }

    /// The pause once a probe was handed out at `now`.
    package func probing(_ pause: RelayPause, now: Date) -> RelayPause {
        var pause = pause
        pause.probeSince = now
        return pause
    }

    /// The pause after a relay-level refusal at `now` of a send that was (`probe`) or was not the probe.
    ///
    /// A first refusal starts a pause; a refused probe doubles the wait; a refusal of a send that was already
    /// on its way when the pause started leaves the pause as it is (several connections meeting the same
    /// refusal are one refusal).
    package func refused(_ previous: RelayPause?, relay: String, cause: String, probe: Bool, now: Date) -> RelayPause {
        guard let previous else {
            return RelayPause(
                relay: relay, cause: cause, since: now, until: ScheduleTime.date(now, plus: delay(afterRefusals: 1)),
                refusals: 1)
        }
        guard probe else { return previous }
        let refusals = previous.refusals + 1
        return RelayPause(
            relay: relay, cause: cause, since: previous.since,
            until: ScheduleTime.date(now, plus: delay(afterRefusals: refusals)), refusals: refusals)
    }

    /// The pause after a probe that proved nothing at `now` (a temporary failure, a lost connection): no probe
    /// is out any more, and the next one waits as long as the last wait, without doubling it.
    package func inconclusive(_ pause: RelayPause, now: Date) -> RelayPause {
        var pause = pause
        pause.probeSince = nil
        pause.until = ScheduleTime.date(now, plus: delay(afterRefusals: pause.refusals))
        return pause
    }
}
