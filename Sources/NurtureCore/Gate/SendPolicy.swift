/// The configuration the checks before a send read: sequences, salespeople, the marketing sender, the limits,
/// the default time zone, the scheduling rules and the unsubscribe link key. Built once per configuration load,
/// not per send.
package struct SendPolicy: Sendable {
    /// The configured sequences by id.
    package var sequences: [String: EmailSequence]
    /// The configured salespeople.
    package var salespeople: [Salesperson]
    /// The marketing track's sender.
    package var marketingSender: MarketingSender
    /// Per-sender and per-lead limits (`defaults.limits`).
    package var limits: SendLimits
    /// `defaults.time_zone`: the zone when neither the lead nor the owner has one.
    package var defaultTimeZone: String
    /// Retry, lateness, pacing, rate limits and relay pauses.
    package var scheduling: SchedulingPolicy
    /// The base of one-click unsubscribe links (marketing).
    package var unsubscribeBaseURL: String
    /// The key the unsubscribe tokens are signed with.
    package var unsubscribeKey: [UInt8]

    /// Makes a policy.
    package init(
        sequences: [EmailSequence], salespeople: [Salesperson], marketingSender: MarketingSender,
        limits: SendLimits, defaultTimeZone: String, scheduling: SchedulingPolicy, unsubscribeBaseURL: String,
        unsubscribeKey: [UInt8]
    ) {
        self.sequences = Dictionary(sequences.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.salespeople = salespeople
        self.marketingSender = marketingSender
        self.limits = limits
        self.defaultTimeZone = defaultTimeZone
        self.scheduling = scheduling
        self.unsubscribeBaseURL = unsubscribeBaseURL
        self.unsubscribeKey = unsubscribeKey
    }

    /// The lead's owner when it is a configured salesperson.
    package func owner(of lead: Lead) -> Salesperson? {
        lead.owner.flatMap { id in salespeople.first { $0.id == id } }
    }

    /// The zone `sequence`'s window is read in for `lead` (the lead's, the owner's or the default, per the
    /// window's rule).
    package func timeZone(for lead: Lead, sequence: EmailSequence, owner: Salesperson?) -> String {
        sequence.window.timeZoneRule.resolve(
            leadZone: lead.timeZone, ownerZone: owner?.timeZone, defaultZone: defaultTimeZone)
    }

    /// The lead's one-click unsubscribe link.
    package func unsubscribeURL(for email: EmailAddress) -> String {
        UnsubscribeLink.url(
            baseURL: unsubscribeBaseURL, token: UnsubscribeLink.token(for: email, secret: unsubscribeKey))
    }
}
