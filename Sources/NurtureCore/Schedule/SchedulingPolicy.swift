/// Every scheduling rule the daemon applies, as configured in the `scheduling:` section.
package struct SchedulingPolicy: Sendable, Hashable {
    /// Retries after temporary failures.
    package var retry: RetryPolicy
    /// What to do when a send's outcome is unknown.
    package var unknownOutcome: UnknownOutcomePolicy
    /// The default lateness rule; a sequence's own `maxLateness` overrides it.
    package var lateness: Lateness
    /// Spreading overdue sends after downtime.
    package var catchUp: CatchUpPacing
    /// The random offset added to sales sends (marketing sends get none).
    package var salesJitter: Jitter
    /// Global and per-domain rate limits (sender limits come from ``SendLimits``).
    package var rateLimits: RateLimits
    /// Pausing a relay that refuses at the relay level (30 s doubling to 15 min; not configurable).
    package var relayPause: RelayPausePolicy

    /// Makes a policy; every part defaults to its own defaults, sales jitter to 4 minutes.
    package init(
        retry: RetryPolicy = RetryPolicy(), unknownOutcome: UnknownOutcomePolicy = .hold,
        lateness: Lateness = Lateness(), catchUp: CatchUpPacing = CatchUpPacing(),
        salesJitter: Jitter = Jitter(maximum: .seconds(240)), rateLimits: RateLimits = RateLimits(),
        relayPause: RelayPausePolicy = RelayPausePolicy()
    ) {
        self.relayPause = relayPause
        self.retry = retry
        self.unknownOutcome = unknownOutcome
        self.lateness = lateness
        self.catchUp = catchUp
        self.salesJitter = salesJitter
        self.rateLimits = rateLimits
    }

    /// The lateness rule for a sequence: its own ``EmailSequence/maxLateness`` when set, else ``lateness``.
    package func lateness(for sequence: EmailSequence) -> Lateness {
        sequence.maxLateness.map { Lateness(maxLateness: $0) } ?? lateness
    }

    /// The jitter for a track: ``salesJitter`` for sales, none for marketing.
    package func jitter(for track: Track) -> Jitter {
        track == .sales ? salesJitter : .none
    }
}
