import Foundation
import NurtureCore
import NurtureSMTP
import Synchronization

/// Finished transfers: deciding what each leads to (``OutcomePolicy/decide(_:policy:now:)``), keeping the relay
/// pauses current, and adding the records and follow-ups to the next group commit.
extension Scheduler {
    /// Whether a message may go to `relay` now, taken right before the transfer (so sends checked before a
    /// pause began do not reach the relay). After the pause, the first send to ask becomes the probe.
    func admitTransfer(through relay: RelayConfiguration, policy: RelayPausePolicy) -> RelayPausePolicy.Admission {
        let now = clock.now()
        return state.withLock { state in
            let admission = policy.admit(state.pauses[relay.name], now: now)
            if admission == .probe, let pause = state.pauses[relay.name] {
                state.pauses[relay.name] = policy.probing(pause, now: now)
            }
            return admission
        }
    }

    /// Decides what a transfer leads to right after it, in the connection worker, and applies the decision's
    /// change to the relay's pause at once, so the next message a worker takes already sees it.
    func decideOutcome(_ outcome: DeliveryOutcome, of job: Job, probe: Bool) -> OutcomeDecision {
        let now = clock.now()
        let relay = job.prepared.relay.name
        var facts = OutcomeFacts(outcome, attempt: job.row.attempts + 1, dueAt: job.row.dueAt)
        let policy = job.runtime.policy
        return state.withLock { state in
            facts.relay = OutcomeFacts.RelayState(name: relay, pause: state.pauses[relay], probe: probe)
            let decision = OutcomePolicy.decide(facts, policy: policy, now: now)
            switch decision.relay {
            case .none: break
            case .paused(let pause, _), .probeInconclusive(let pause): state.pauses[relay] = pause
            case .resumed: state.pauses[relay] = nil
            }
            return decision
        }
    }

    /// Adds a finished transfer's outcome to `batch`, with what follows from it.
    func recordOutcome(_ finished: Finished, into batch: inout Batch) {
        let (row, prepared, context, runtime) = (
            finished.job.row, finished.job.prepared, finished.job.context, finished.job.runtime
        )
        if finished.released {
            release(finished.job, into: &batch)
            return
        }
        if let notStarted = finished.notStarted {
            recordNotStarted(finished.job, notStarted, into: &batch)
            return
        }
        let now = clock.now()
        guard let outcome = finished.outcome, let decision = finished.decision else {
            batch.settlements.append(Settlement(keys: prepared.counted, sentAt: nil))
            if let relayHold = finished.relayHold {
                hold(
                    row, until: relayHold.until, reason: .relayPaused(relayHold.reason), now: now, into: &batch,
                    announce: false)
                return
            }
            hold(
                row, until: ScheduleTime.date(now, plus: .seconds(600)),
                reason: .templateError(finished.renderError ?? "?"), now: now, into: &batch)
            return
        }
        let code = outcome.reply.map(\.code)
        let reply = outcome.reply?.description
        // An unknown send may have reached the relay: it counts against the limits like an accepted one.
        batch.settlements.append(Settlement(keys: prepared.counted, sentAt: decision.countsAsSent ? now : nil))
        let reason = decision.reason
        var entry = logEntry(
            row, state: decision.state, attempt: row.attempts + 1, detail: reason?.description,
            sender: prepared.counted.sender, now: now)
        entry.code = code
        entry.reply = reply
        entry.startedAt = finished.startedAt
        entry.reasonKind = reason?.kind
        var update = SendUpdate(
            state: decision.state, attempted: true, code: code, reply: reply, reason: reason?.description,
            reasonKind: reason?.kind)
        switch decision.record {
        case .sent, .unknown, .failed(_, planNext: true):
            recordAndPlanNext(row, update, entry, context: context, runtime: runtime, now: now, into: &batch)
        case .failed(_, planNext: false):
            batch.add(SendRecord(sendID: row.id, update: update, log: entry), announce: true)
        case .deferred(let until, let reason):
            update.nextAttemptAt = until
            batch.add(
                SendRecord(sendID: row.id, update: update, log: entry),
                announce: announcePause(decision, of: finished) ?? true)
            if case .relayPaused(let pause) = reason { batch.followUps.append(.saveRelayPause(pause)) }
        }
        if decision.bouncesRecipient {
            batch.followUps.append(.bounce(context.lead.email, configuration: runtime.configuration, at: now))
        }
        if case .resumed(let ended) = decision.relay {
            let relay = prepared.relay.name
            emit(
                .notice(
                    "relay \(relay) accepts again (\(outcome)); the pause since \(ScheduleTime.describe(ended.since))"
                        + " is over and held sends go out"))
            batch.followUps.append(.clearRelayPause(relay))
        }
    }

    /// For a send that waits for the relay's pause: logs the pause at error priority once, when it starts (a
    /// refused probe is a warning), stores it, and says whether the send's own line is announced; `nil` when
    /// the send does not wait for a pause.
    private func announcePause(_ decision: OutcomeDecision, of finished: Finished) -> Bool? {
        guard case .deferred(_, .relayPaused) = decision.record,
            case .paused(let pause, let started) = decision.relay
        else { return nil }
        let relay = finished.job.prepared.relay.name
        let fix = decision.relayFix ?? OutcomePolicy.fixRelaySettings
        if started {
            emit(
                .error(
                    "relay \(relay) refused: \(pause.cause); sends through it are paused until"
                        + " \(ScheduleTime.describe(pause.until)) and retried with backoff (leads stay mailable); \(fix)"
                ))
        } else if finished.probe {
            emit(
                .warning(
                    "relay \(relay) still refuses: \(pause.cause); next probe at \(ScheduleTime.describe(pause.until))"
                ))
        }
        return started || finished.probe
    }

    /// Takes over the pauses a previous run recorded (a restart does not send a paused relay a burst).
    func restorePauses() async {
        do {
            let stored = try await store.relayPauses()
            state.withLock { state in
                for pause in stored where state.pauses[pause.relay] == nil { state.pauses[pause.relay] = pause }
            }
        } catch {
            emit(.error("store: cannot read relay pauses: \(error)"))
        }
    }
}
