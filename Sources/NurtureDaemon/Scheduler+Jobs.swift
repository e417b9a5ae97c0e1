import Foundation
import NurtureCore
import NurtureSMTP

/// The values that travel through the send pipeline: from the checks (a ``Job``) to a render task (a
/// ``Rendered`` message), to a connection worker, and back to the coordinator (a ``Finished`` transfer).
extension Scheduler {
    /// What a send's connection needs, and the rate counts it holds until its outcome is recorded.
    struct Prepared: Sendable {
        var messageID: MessageID
        var stepID: String
        var envelope: Envelope
        var relay: RelayConfiguration
        var overdue: Bool
        /// The rate counts this send is reserved in until its outcome is recorded.
        var counted: SentCounter.Keys
    }

    /// The lead, enrollment and sequence a send belongs to, as the checks read them.
    struct Context: Sendable {
        var lead: Lead
        var enrollment: EnrollmentRecord
        var sequence: EmailSequence
    }

    /// A send that passed its checks, on its way to a connection.
    struct Job: Sendable {
        var row: PlannedSend
        var prepared: Prepared
        var context: Context
        var runtime: Runtime
        /// What the gate resolved for the message (identity, zones, unsubscribe link); `nil` for a send
        /// recovered at start-up, which is recorded, never rendered.
        var resolved: ResolvedSend?
    }

    /// A message rendered and composed, waiting for a connection.
    struct Rendered: Sendable {
        var job: Job
        var bytes: [UInt8]
    }

    /// A transfer a connection worker finished, or a message it could not render or did not send.
    struct Finished: Sendable {
        var job: Job
        /// `nil` when rendering failed (`renderError` says why) or the relay is paused (`relayHold`): nothing
        /// was sent.
        var outcome: DeliveryOutcome?
        /// What the outcome leads to (``OutcomePolicy/decide(_:policy:now:)``), decided with the outcome.
        var decision: OutcomeDecision?
        var renderError: String?
        /// When the worker handed the message to its connection.
        var startedAt: Date
        /// Set when the relay was paused when the message reached its connection: it waits until then.
        var relayHold: RelayHold?
        /// `true` when this transfer was the probe of a paused relay.
        var probe = false
        /// Stopping: the message was never handed to a connection and goes back to the queue.
        var released = false
        /// Several daemons: the transfer could not be marked started in the store, so nothing was sent.
        var notStarted: NotStarted?

        init(
            job: Job, outcome: DeliveryOutcome? = nil, decision: OutcomeDecision? = nil, renderError: String? = nil,
            startedAt: Date, relayHold: RelayHold? = nil, probe: Bool = false, released: Bool = false,
            notStarted: NotStarted? = nil
        ) {
            self.notStarted = notStarted
            self.job = job
            self.outcome = outcome
            self.decision = decision
            self.renderError = renderError
            self.startedAt = startedAt
            self.relayHold = relayHold
            self.probe = probe
            self.released = released
        }
    }

    /// A send held back by a paused relay: until when, and why.
    struct RelayHold: Sendable {
        var until: Date
        var reason: String
    }
}

extension OutcomeFacts {
    /// The facts of a transport's outcome for attempt `attempt` of a send due at `dueAt`.
    init(_ outcome: DeliveryOutcome, attempt: Int, dueAt: Date, recovered: Bool = false) {
        self.init(
            result: outcome.kind, refusal: outcome.refusal, phase: outcome.phase, reply: outcome.reply?.description,
            transportDetail: outcome.transportDetail, summary: "\(outcome)", attempt: attempt, dueAt: dueAt,
            recovered: recovered)
    }
}
