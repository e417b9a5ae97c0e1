public import Foundation
public import NurtureConfig
public import NurtureCore
public import NurtureSMTP

/// The scheduler's settings and what it reports: the runtime a reload replaces, the loop's options, events.
extension Scheduler {
    /// What a reload replaces: configuration, templates and the policies derived from them. Constants, so
    /// ``sendPolicy`` never falls behind the configuration it was derived from: a change is a new runtime.
    public struct Runtime: Sendable {
        public let configuration: NurtureConfiguration
        public let builder: MessageBuilder
        public let policy: SchedulingPolicy
        /// What the checks before a send read, derived once from `configuration` and `policy`.
        public let sendPolicy: SendPolicy

        public init(configuration: NurtureConfiguration, builder: MessageBuilder, policy: SchedulingPolicy) {
            self.configuration = configuration
            self.builder = builder
            self.policy = policy
            self.sendPolicy = SendPolicy(configuration: configuration, scheduling: policy)
        }
    }

    /// How the loop runs.
    public struct Options: Sendable {
        /// Sends in flight at once (the relay's connection pool size).
        public var concurrency: Int
        /// The longest sleep, so changes made by other processes are seen promptly.
        public var pollInterval: Duration
        /// Enrollments planned per pass.
        public var planBatch: Int
        /// The most sends in flight in the store at once: claimed and not yet recorded, whether waiting for a
        /// connection or being transferred. Claiming ahead keeps every connection busy while outcomes are
        /// committed in groups; a crash leaves at most this many rows `unknown`. Default: 16 per
        /// connection, at least 32.
        public var claimAhead: Int
        /// How long before its due time a send may be claimed, checked and rendered. The claim is a durable
        /// commit, and a sync to disk can take a hundred milliseconds or more; claimed this early, the message
        /// is ready when the send falls due and the connection worker holds it until that moment (never
        /// sending early). The checks look at the lead as it is at the claim and judge the window and the
        /// limits at the due time. Zero (the default, for tests on a ``VirtualClock``) claims only what is due.
        public var lookahead: Duration

        /// The lookahead `nurture run` uses.
        public static let daemonLookahead = Duration.milliseconds(250)

        public init(
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
    public enum Event: Sendable {
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
    public struct Transfer: Sendable {
        /// The track of the step sent.
        public var track: Track
        /// How the relay took it.
        public var outcome: DeliveryOutcome.Kind
        /// From handing the message to the transport until the outcome was known.
        public var seconds: Double
        /// `host:port` of the relay.
        public var relay: String
        /// Whether the relay answered at all (any SMTP reply was read).
        public var relayAnswered: Bool
        /// When the transfer finished.
        public var at: Date
    }
}
