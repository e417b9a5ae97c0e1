package import Foundation
package import NurtureConfig
package import NurtureCore
package import NurtureSMTP

/// The scheduler's settings and what it reports: the runtime a reload replaces, the loop's options, events.
extension Scheduler {
    /// What a reload replaces: configuration, templates and the policies derived from them. Constants, so
    /// ``sendPolicy`` never falls behind the configuration it was derived from: a change is a new runtime.
    package struct Runtime: Sendable {
        package let configuration: NurtureConfiguration
        package let builder: MessageBuilder
        package let policy: SchedulingPolicy
        /// What the checks before a send read, derived once from `configuration` and `policy`.
        package let sendPolicy: SendPolicy

        package init(configuration: NurtureConfiguration, builder: MessageBuilder, policy: SchedulingPolicy) {
            self.configuration = configuration
            self.builder = builder
            self.policy = policy
            self.sendPolicy = SendPolicy(configuration: configuration, scheduling: policy)
        }
    }

    /// How the loop runs.
    package struct Options: Sendable {
        /// Sends in flight at once (the relay's connection pool size).
        package var concurrency: Int
        /// The longest sleep, so changes made by other processes are seen promptly.
        package var pollInterval: Duration
        /// Enrollments planned per pass.
        package var planBatch: Int
        /// The most sends in flight in the store at once: claimed and not yet recorded, whether waiting for a
        /// connection or being transferred. Claiming ahead keeps every connection busy while outcomes are
        /// committed in groups; a crash leaves at most this many rows `unknown`. Default: 16 per
        /// connection, at least 32.
        package var claimAhead: Int
        /// How long before its due time a send may be claimed, checked and rendered. The claim is a durable
        /// commit, and a sync to disk can take a hundred milliseconds or more; claimed this early, the message
        /// is ready when the send falls due and the connection worker holds it until that moment (never
        /// sending early). The checks look at the lead as it is at the claim and judge the window and the
        /// limits at the due time. Zero (the default, for tests on a ``VirtualClock``) claims only what is due.
        package var lookahead: Duration

        /// The lookahead `nurture run` uses.
        package static let daemonLookahead = Duration.milliseconds(250)

        package init(
            concurrency: Int, pollInterval: Duration = .seconds(1), planBatch: Int = 500, claimAhead: Int? = nil,
            lookahead: Duration = .zero
        ) {
            self.concurrency = max(1, concurrency)
            self.pollInterval = pollInterval
            self.planBatch = planBatch
            self.claimAhead = max(self.concurrency, claimAhead ?? max(32, 16 * self.concurrency))
            self.lookahead = max(.zero, lookahead)
        }
    }

    /// Something the operator should see in the log.
    package enum Event: Sendable {
        /// A send-log line was recorded (an attempt or a decision about a send).
        case recorded(SendLogEntry)
        /// A transfer to the relay finished (metrics: latency by outcome and track; health: relay last seen).
        case transferred(Transfer)
        /// Start-up, shutdown, enrollment completions and similar.
        case notice(String)
        case warning(String)
        case error(String)
    }

    /// One finished transfer, as metrics and health checks see it.
    package struct Transfer: Sendable {
        /// The track of the step sent.
        package var track: Track
        /// How the relay took it.
        package var outcome: DeliveryOutcome.Kind
        /// From handing the message to the transport until the outcome was known.
        package var seconds: Double
        /// `host:port` of the relay.
        package var relay: String
        /// Whether the relay answered at all (any SMTP reply was read).
        package var relayAnswered: Bool
        /// When the transfer finished.
        package var at: Date
    }
}
