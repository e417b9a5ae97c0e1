import NurtureCore
internal import Yams

/// The optional `scheduling:` section: retries, unknown outcomes, lateness, catch-up pacing, jitter and
/// rate limits. Every key is optional; what is not written keeps ``SchedulingPolicy``'s default.
extension ConfigParser {
    static let schedulingKeys = [
        "retry_first", "retry_max", "give_up_after", "unknown_outcome", "max_lateness", "catch_up_after",
        "catch_up_per_minute", "sales_jitter", "global_per_minute", "per_domain_per_hour",
    ]

    /// The scheduling policy; the defaults when the section is absent. Bad values are reported and keep
    /// their default (the configuration as a whole is refused then anyway).
    func schedulingSection(_ top: Fields) -> SchedulingPolicy {
        var policy = SchedulingPolicy()
        guard let node = top["scheduling"],
            let fields = diagnostics.fields(node, path: "scheduling", allowed: Self.schedulingKeys)
        else { return policy }

        if let value = positiveDelay(fields, "retry_first", advice: "Postfix starts at 5m") {
            policy.retry.firstDelay = value
        }
        if let value = positiveDelay(fields, "retry_max", advice: "Postfix stops growing at about 1h") {
            if value >= policy.retry.firstDelay {
                policy.retry.maxDelay = value
            } else {
                diagnostics.report(
                    fields["retry_max"], fields.path("retry_max"),
                    "the longest retry delay `\(DelayText.format(value))` is shorter than the first one "
                        + "(retry_first `\(DelayText.format(policy.retry.firstDelay))`)",
                    fix: "make retry_max at least retry_first, e.g. retry_first: 5m and retry_max: 1h")
            }
        } else if fields["retry_max"] == nil, policy.retry.firstDelay > policy.retry.maxDelay {
            // Only retry_first is written and it is above the default cap: the cap follows it.
            policy.retry.maxDelay = policy.retry.firstDelay
        }
        if let value = positiveDelay(fields, "give_up_after", advice: "Postfix gives up after 5d") {
            policy.retry.giveUpAfter = value
        }
        if let text = diagnostics.choice(fields, "unknown_outcome", UnknownOutcomePolicy.allCases.map(\.rawValue)),
            let value = UnknownOutcomePolicy(rawValue: text)
        {
            policy.unknownOutcome = value
        }
        if let value = positiveDelay(fields, "max_lateness", advice: "the default is 2d") {
            policy.lateness.maxLateness = value
        }
        if let value = delay(fields, "catch_up_after") { policy.catchUp.threshold = value }
        if let value = diagnostics.integer(fields, "catch_up_per_minute", in: 1...Int.max) {
            policy.catchUp.perMinute = value
        }
        if let value = delay(fields, "sales_jitter") { policy.salesJitter.maximum = value }
        policy.rateLimits.globalPerMinute = diagnostics.integer(fields, "global_per_minute", in: 1...Int.max)
        policy.rateLimits.perDomainPerHour = diagnostics.integer(fields, "per_domain_per_hour", in: 1...Int.max)
        return policy
    }

    /// A delay that must be more than zero; `advice` ends the fix, e.g. "Postfix starts at 5m".
    func positiveDelay(_ fields: Fields, _ key: String, advice: String) -> Duration? {
        guard let value = delay(fields, key) else { return nil }
        guard value > .zero else {
            diagnostics.report(
                fields[key], fields.path(key), "`0` is too short here: it must be more than zero",
                fix: "write a delay of at least 1m (30m, 12h, 3d, 2w); \(advice)")
            return nil
        }
        return value
    }
}
