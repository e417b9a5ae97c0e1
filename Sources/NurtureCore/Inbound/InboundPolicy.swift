/// How incoming mail acts on leads (config `inbound:`).
package struct InboundPolicy: Sendable, Hashable {
    /// How long an out-of-office pauses when no return date can be read.
    package var outOfOfficeDefault: Duration
    /// Soft bounces within ``softBouncePeriod`` that suppress the address as bounced.
    package var softBounceLimit: Int
    package var softBouncePeriod: Duration

    package init(
        outOfOfficeDefault: Duration = .seconds(7 * 86_400), softBounceLimit: Int = 3,
        softBouncePeriod: Duration = .seconds(30 * 86_400)
    ) {
        self.outOfOfficeDefault = outOfOfficeDefault
        self.softBounceLimit = softBounceLimit
        self.softBouncePeriod = softBouncePeriod
    }
}
