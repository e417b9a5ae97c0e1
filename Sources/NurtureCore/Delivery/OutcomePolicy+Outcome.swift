package import Foundation

extension OutcomePolicy {
    /// What the operator should do when a relay-level refusal pauses the relay, by what paused it.
    package static let fixRelaySettings = "fix the relay settings"
    package static let fixRelayAccount = "check the sender address, the relay account and its policy"

    /// Decides everything a finished transfer leads to, in one pure step: the row's record (sent, retried with
    /// backoff, given up, failed, bounced, unknown, or waiting for the relay's pause), whether the recipient
    /// bounces, and what changes about the relay's pause.
    ///
    /// - A refusal (`failed`) is read by ``decide(_:)-(SMTPRefusal)`` at its phase (a refusal without a reply
    ///   line as a bare 550): bounce the recipient, fail this message (the sequence goes on), pause the relay,
    ///   or retry.
    /// - A relay-level refusal (``Effect/pauseRelay``, or a TLS/login configuration error) pauses the relay or
    ///   extends the pause when it was the probe; the send waits until the pause ends (not failed). Where pauses
    ///   are not tracked (``OutcomeFacts/relay`` is `nil`), it is retried with backoff instead.
    /// - Any message the relay took past MAIL FROM (accepted, or refused for itself) ends the relay's pause; a
    ///   probe that proved nothing lets the next probe go after the same wait.
    /// - A temporary failure is retried by `policy.retry` until it gives up; an unknown outcome is held or
    ///   resent as `policy.unknownOutcome` says.
    package static func decide(_ facts: OutcomeFacts, policy: SchedulingPolicy, now: Date) -> OutcomeDecision {
        let refusal: (decision: Decision, text: String)? =
            facts.result == .failed ? refused(facts) : nil
        let relay = relayChange(facts, pausedBy: pauseCause(facts, refusal: refusal), policy: policy, now: now)
        func retryOrGiveUp(_ detail: String) -> OutcomeDecision.Record {
            switch policy.retry.decide(attempts: facts.attempt, dueAt: facts.dueAt, now: now) {
            case .retry(let at): .deferred(until: at, .retrying(detail, next: at))
            case .giveUp(let reason): .failed(.gaveUp(reason), planNext: true)
            }
        }
        let counts = facts.result == .accepted || facts.result == .unknown
        /// Waits for the pause this transfer started or met; without one, retries.
        func waitForRelay(_ detail: String, fix: String) -> OutcomeDecision {
            if case .paused(let pause, _) = relay {
                return OutcomeDecision(
                    record: .deferred(until: pause.until, .relayPaused(pause)), relay: relay, relayFix: fix,
                    countsAsSent: counts)
            }
            return OutcomeDecision(record: retryOrGiveUp(detail), relay: relay, countsAsSent: counts)
        }
        let detail = facts.transportDetail.map { " (\($0))" } ?? ""
        switch facts.result {
        case .accepted:
            return OutcomeDecision(record: .sent, relay: relay, countsAsSent: counts)
        case .deferred:
            return OutcomeDecision(
                record: retryOrGiveUp("temporary failure" + detail), relay: relay, countsAsSent: counts)
        case .configurationError:
            return waitForRelay("relay configuration error" + detail, fix: fixRelaySettings)
        case .failed:
            let refusal = refusal ?? refused(facts)
            switch refusal.decision.effect {
            case .bounceRecipient:
                return OutcomeDecision(
                    record: .failed(.recipientBounced(refusal: refusal.text), planNext: false), bouncesRecipient: true,
                    relay: relay, countsAsSent: counts)
            case .failMessage:
                return OutcomeDecision(
                    record: .failed(.messageRefused(refusal: refusal.text), planNext: true), relay: relay,
                    countsAsSent: counts)
            case .pauseRelay:
                return waitForRelay("relay refusal: \(refusal.text)", fix: fixRelayAccount)
            case .retry:
                return OutcomeDecision(
                    record: retryOrGiveUp("temporary failure: \(refusal.text)"), relay: relay, countsAsSent: counts)
            }
        case .unknown:
            let stopped = facts.transportDetail ?? "the daemon stopped during the transfer"
            switch policy.unknownOutcome {
            case .resend:
                let cause = facts.recovered ? stopped : "connection lost after the message was sent"
                return OutcomeDecision(
                    record: retryOrGiveUp("outcome unknown (\(cause)); resending with the same Message-ID"),
                    relay: relay, countsAsSent: counts)
            case .hold:
                let cause = facts.recovered ? stopped : "the connection was lost after the message was sent"
                return OutcomeDecision(
                    record: .unknown(.outcomeUnknown(cause: cause)), relay: relay, countsAsSent: counts)
            }
        }
    }

    /// A `failed` outcome's refusal as the rules read it, and the operator's line for it:
    /// `the relay refused the sender: 550 5.7.1 ... (at MAIL FROM)`.
    private static func refused(_ facts: OutcomeFacts) -> (decision: Decision, text: String) {
        let decision = decide(facts.refusal ?? SMTPRefusal(phase: facts.phase, code: 550))
        let text = "\(decision.ground): \(facts.reply ?? "no reply")" + (facts.phase.map { " (\($0))" } ?? "")
        return (decision, text)
    }

    /// The cause a relay-level refusal pauses the relay with; `nil` when the outcome is not one.
    private static func pauseCause(
        _ facts: OutcomeFacts, refusal: (decision: Decision, text: String)?
    ) -> String? {
        switch facts.result {
        case .configurationError:
            return "relay configuration error (TLS or login): " + (facts.transportDetail ?? facts.summary)
        case .failed:
            return refusal?.decision.effect == .pauseRelay ? refusal?.text : nil
        case .accepted, .deferred, .unknown:
            return nil
        }
    }

    /// What the transfer changes about its relay's pause (nothing where pauses are not tracked).
    private static func relayChange(
        _ facts: OutcomeFacts, pausedBy cause: String?, policy: SchedulingPolicy, now: Date
    ) -> OutcomeDecision.RelayChange {
        guard let relay = facts.relay else { return .none }
        if let cause {
            let pause = policy.relayPause.refused(
                relay.pause, relay: relay.name, cause: cause, probe: relay.probe, now: now)
            return .paused(pause, started: relay.pause == nil)
        }
        guard let previous = relay.pause else { return .none }
        if facts.result == .accepted || facts.result == .failed { return .resumed(previous) }
        if relay.probe { return .probeInconclusive(policy.relayPause.inconclusive(previous, now: now)) }
        return .none
    }
}
